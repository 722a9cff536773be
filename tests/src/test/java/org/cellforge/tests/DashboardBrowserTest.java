package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Option;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The dashboard in headless Chromium, used as a person would: the form starts a search (or shows
 * why not beside the field), the list shows it, and its page follows it to the end.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DashboardBrowserTest {

    /** Waits for the page itself (rendering, a round trip to the server); searches get {@link Api#SEARCH_DEADLINE}. */
    private static final Duration PAGE = Duration.ofMinutes(2);

    private static final Pattern STARTED = Pattern.compile("search (\\d+) started");

    @TestHTTPResource("/")
    URL root;

    @Inject
    EntityManager em;

    private ChromeDriver driver;

    @BeforeEach
    void openBrowser() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(onPath("chromium", "chromium-browser", "google-chrome").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(onPath("chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    /**
     * A controller with options that have defaults if one is registered, so that its fields are exercised
     * (limits such as random's are off by default, and the form leaves them empty); else the default.
     */
    private static ControllerKind controllerWithOptions() {
        return Controllers.all().stream().filter(k -> k.options().stream().anyMatch(o -> o.defaultValue() != null))
                .findFirst()
                .orElse(Controllers.all().get(0));
    }

    @Test
    void aSearchStartedFromTheFormRunsToItsEndOnItsPage(@TempDir Path dir) throws IOException {
        // The form trains the default network on the default splits (10,000 + 5,000 images); on 4x4
        // images that is a matter of seconds, and the dataset field is how a person points at them.
        TestData.smallFashionMnist(dir, 15_000, 2_000, 4);
        ControllerKind kind = controllerWithOptions();
        Map<String, Object> options = SearchStrategiesApiTest.tinyOptions(kind);
        int trials = (int) Math.max(2, options.values().stream().mapToLong(v -> (Long) v).max().orElse(0) + 1);

        driver.get(root.toString());
        waitFor(PAGE, d -> !d.findElements(By.id("start-search")).isEmpty());
        choose("controller", kind.name());
        for (Map.Entry<String, Object> o : options.entrySet()) {
            type(input("option-" + kind.name() + "-" + o.getKey()), o.getValue().toString());
        }
        type(input("trials"), Integer.toString(trials));
        long id = startOneEpochSearchOn(dir);
        List<String> shown = texts(waitFor(PAGE, d -> row(d, "searches", Long.toString(id))));
        assertEquals(List.of("nas-bench-201", kind.name(), "standalone"), shown.subList(2, 5), "row " + shown);
        screenshot("dashboard-searches");
        assertEquals(kind.name(), Api.search(id).getString("request.controller"));
        // The list follows the search while it runs: the form showed it before any trial ended.
        waitFor(Api.SEARCH_DEADLINE, d -> {
            List<WebElement> r = row(d, "searches", Long.toString(id));
            return r != null && !r.get(5).getText().strip().startsWith("0 /");
        });

        // Opened while it runs, as a person would: the click must find its row although the list
        // keeps refreshing it.
        waitFor(PAGE, d -> {
            List<WebElement> r = row(d, "searches", Long.toString(id));
            if (r == null) {
                throw new StaleElementReferenceException("the row was re-rendered");
            }
            r.get(0).click();
            return true;
        });
        waitFor(PAGE, d -> d.getCurrentUrl().endsWith("/search/" + id));
        waitFor(Api.SEARCH_DEADLINE, d -> d.findElements(By.tagName("h2")).stream()
                .anyMatch(h -> h.getText().equals("Search " + id + ": SUCCEEDED")));
        JsonPath search = Api.search(id);
        assertEquals("SUCCEEDED", search.getString("status"));
        String test = String.format(Locale.ROOT, "%.4f", search.getDouble("bestTestAccuracy"));
        // The page refreshes by polling: wait until it shows the final rows, then compare them all.
        waitFor(PAGE, d -> texts(cells(d, "retrains")).contains(test));
        List<String> trialCells = waitFor(PAGE, d -> {
            List<String> t = texts(cells(d, "trials"));
            return Api.trials(search).stream().allMatch(r -> t.contains((String) r.get("arch"))) ? t : null;
        });
        for (Map<String, Object> t : Api.trials(search)) {
            assertTrue(trialCells.contains(String.format(Locale.ROOT, "%.4f", Api.number(t, "validationAccuracy"))),
                    "validation accuracy of trial " + t.get("number") + " in " + trialCells);
        }
        String summary = driver.findElement(By.id("search-summary")).getText();
        assertTrue(summary.contains("test accuracy " + test + " (retrained)"), summary);
        assertTrue(summary.contains("(stand-alone)"), summary);
        String onnx = driver.findElement(By.linkText("Trained network (ONNX)")).getDomAttribute("href");
        assertTrue(onnx.endsWith("/api/searches/" + id + "/best/export?format=onnx"), onnx);
        screenshot("dashboard-search-detail");
    }

    @Test
    void aDartsSearchFromTheFormShowsItsSupernetEpochsWithTheStrongestOperationOfEachEdge(@TempDir Path dir)
            throws IOException {
        TestData.smallFashionMnist(dir, 15_000, 2_000, 4);
        driver.get(root.toString());
        waitFor(PAGE, d -> !d.findElements(By.id("start-search")).isEmpty());
        choose("controller", "darts");
        // DARTS searches by weight sharing: the form switches the mode and shows the supernet's epochs.
        waitFor(PAGE, d -> d.findElement(By.cssSelector("#mode vaadin-select-value-button")).getText().strip()
                .equals("weight-sharing") && d.findElement(By.id("supernet-epochs")).isDisplayed());
        type(input("supernet-epochs"), "2");
        long id = startOneEpochSearchOn(dir);
        assertEquals("weight-sharing", Api.search(id).getString("request.mode"));
        assertEquals(2, Api.search(id).getInt("request.supernet.epochs"));

        driver.get(root.toString() + "search/" + id);
        waitFor(Api.SEARCH_DEADLINE, d -> d.findElements(By.tagName("h2")).stream()
                .anyMatch(h -> h.getText().equals("Search " + id + ": SUCCEEDED")));
        JsonPath search = Api.search(id);
        List<Map<String, Object>> epochs = search.getList("supernetEpochs");
        assertEquals(2, epochs.size());
        // Each epoch's row names, per edge, the operation DARTS's weights favour: the stored weights' argmax.
        List<String> shown = waitFor(PAGE, d -> {
            List<String> t = texts(cells(d, "supernet-epochs"));
            return t.stream().anyMatch(c -> c.startsWith("cell:")) ? t : null;
        });
        for (Map<String, Object> e : epochs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cell = ((List<Map<String, Object>>) e.get("alpha")).get(0);
            @SuppressWarnings("unchecked")
            List<String> ops = (List<String>) cell.get("ops");
            StringBuilder expected = new StringBuilder("cell:");
            @SuppressWarnings("unchecked")
            List<List<Number>> weights = (List<List<Number>>) cell.get("weights");
            for (List<Number> edge : weights) {
                int k = 0;
                for (int j = 1; j < edge.size(); j++) {
                    k = edge.get(j).doubleValue() > edge.get(k).doubleValue() ? j : k;
                }
                expected.append(String.format(Locale.ROOT, " %s %.2f", ops.get(k), edge.get(k).doubleValue()));
            }
            assertTrue(shown.contains(expected.toString()), "epoch " + e.get("epoch") + ": " + expected + " in "
                    + shown);
        }
        List<String> trialCells = texts(cells(driver, "trials"));
        String genotype = (String) Api.trials(search).get(0).get("arch");
        assertTrue(trialCells.contains(genotype), trialCells.toString());
        assertTrue(trialCells.contains(String.format(Locale.ROOT, "%.4f",
                Api.number(Api.trials(search).get(0), "supernetEstimate"))), "the estimate is shown: " + trialCells);
        screenshot("dashboard-darts-search");
    }

    @Test
    void aBadOptionValueIsShownBesideItsFieldAndStartsNothing() throws IOException {
        // Until a controller with a whole-number option is registered, the trials field stands in for one.
        Optional<Map.Entry<ControllerKind, Option>> option = Controllers.all().stream()
                .flatMap(k -> k.options().stream().filter(o -> o.type() == Option.Type.INTEGER)
                        .map(o -> Map.entry(k, o)))
                .findFirst();
        String fieldId = option.map(e -> "option-" + e.getKey().name() + "-" + e.getValue().name()).orElse("trials");
        long bad = option.map(e -> (long) (double) e.getValue().min() - 1).orElse(0L);
        long before = searchCount();

        driver.get(root.toString());
        waitFor(PAGE, d -> !d.findElements(By.id("start-search")).isEmpty());
        option.ifPresent(e -> choose("controller", e.getKey().name()));
        type(input(fieldId), Long.toString(bad));
        driver.findElement(By.id("start-search")).click();

        String error = waitFor(PAGE, d -> {
            WebElement field = d.findElement(By.id(fieldId));
            List<WebElement> shown = field.findElements(By.cssSelector("[slot='error-message']"));
            return field.getDomAttribute("invalid") != null && !shown.isEmpty() && !shown.get(0).getText().isBlank()
                    ? shown.get(0).getText() : null;
        });
        assertTrue(error.contains("must be between") && error.contains("got " + bad), error);
        assertEquals("the search was not started: see the fields marked",
                driver.findElement(By.id("search-message")).getText());
        screenshot("dashboard-bad-option");
        assertEquals(before, searchCount(), "nothing was started");
    }

    private long searchCount() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select count(s) from SearchEntity s",
                Long.class).getSingleResult());
    }

    /**
     * Sets one epoch per trial and the dataset folder {@code dir}, starts the search the form describes,
     * and reads its id from the form's message.
     */
    private long startOneEpochSearchOn(Path dir) {
        type(input("epochs"), "1");
        type(driver.findElement(By.xpath("//vaadin-text-field[label[normalize-space()='Dataset']]//input")),
                "idx:" + dir);
        driver.findElement(By.id("start-search")).click();
        String message = waitFor(PAGE, d -> {
            String m = d.findElement(By.id("search-message")).getText();
            return m.isBlank() ? null : m;
        });
        Matcher started = STARTED.matcher(message);
        assertTrue(started.find(), "the form says: " + message);
        return Long.parseLong(started.group(1));
    }

    /** Opens the select {@code id} and clicks the item {@code value}, as a person picks from a list. */
    private void choose(String id, String value) {
        driver.findElement(By.id(id)).click();
        WebElement item = waitFor(PAGE, d -> d.findElements(By.cssSelector("#" + id + " vaadin-select-list-box "
                + "vaadin-select-item")).stream().filter(i -> i.isDisplayed() && i.getText().strip().equals(value))
                .findFirst().orElse(null));
        item.click();
        waitFor(PAGE, d -> d.findElement(By.id(id)).getDomAttribute("opened") == null
                && d.findElement(By.cssSelector("#" + id + " vaadin-select-value-button")).getText().strip()
                        .equals(value));
    }

    private WebElement input(String fieldId) {
        return waitFor(PAGE, d -> d.findElements(By.cssSelector("#" + fieldId + " input")).stream().findFirst()
                .orElse(null));
    }

    /** Replaces the text of an input and leaves it, which commits the value to the server. */
    private static void type(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text, Keys.TAB);
    }

    /**
     * The cells of the row of grid {@code gridId} whose first column reads {@code first}, in column
     * order, or null if no rendered row does; the grid's shadow rows say which cell is whose.
     */
    @SuppressWarnings("unchecked")
    private static List<WebElement> row(WebDriver d, String gridId, String first) {
        List<List<WebElement>> rows = (List<List<WebElement>>) ((JavascriptExecutor) d).executeScript("""
                const grid = document.getElementById(arguments[0]);
                return [...grid.shadowRoot.querySelectorAll('tbody tr')]
                    .filter(tr => !tr.hidden)
                    .map(tr => [...tr.querySelectorAll('td')].map(td => {
                        const slot = td.querySelector('slot');
                        return slot ? slot.assignedElements()[0] : null;
                    }))
                    .filter(cells => cells.length > 0 && cells.every(c => c));
                """, gridId);
        return rows.stream().filter(r -> r.get(0).getText().strip().equals(first)).findFirst().orElse(null);
    }

    private static List<WebElement> cells(WebDriver d, String gridId) {
        return d.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content"));
    }

    private static List<String> texts(List<WebElement> cells) {
        return cells.stream().map(c -> c.getText().strip()).toList();
    }

    /** Waits until {@code condition} gives a value (not null, not false), bounded by {@code timeout}. */
    private <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        // The dashboard re-renders its grids on every poll, so an element found a moment ago may be gone.
        return new WebDriverWait(driver, timeout, Duration.ofMillis(250)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private void screenshot(String name) throws IOException {
        Path shot = Path.of("target", name + ".png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000, "the screenshot shows a rendered page");
    }

    private static Path onPath(String... names) {
        for (String name : names) {
            Optional<Path> found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                    .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("none of " + List.of(names) + " is on PATH; install chromium and chromium-driver");
    }
}

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
import org.cellforge.engine.Recipe;
import org.cellforge.engine.SearchRequest;
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

    /**
     * The points of one series of a chart element, once the chart has drawn the option it holds
     * ({@code data-points} is set by the drawing); null before.
     */
    private static final String CHART_POINTS = """
            const el = document.getElementById(arguments[0]);
            if (!el || !el.getAttribute('data-points') || !el.option) return null;
            const series = JSON.parse(el.option).series[arguments[1]];
            return series ? series.data.map(d => Array.isArray(d) ? d : d.value) : null;
            """;

    /** The operation labels of the cell drawing's edges, as drawn (the concatenation edges have none). */
    private static final String EDGE_LABELS = """
            return [...document.querySelectorAll('#cell-graph svg.cell text.edge-label')]
                .map(t => t.textContent).filter(t => t.length > 0);
            """;

    @TestHTTPResource("/")
    URL root;

    @Inject
    EntityManager em;

    private ChromeDriver driver;

    // JUnit's, so that each test's browser profile and downloads are deleted after it, once the browser
    // has quit; a profile is several megabytes.
    @TempDir
    Path profile;

    @TempDir
    Path downloads;

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        // Downloads land in a folder of this test's, without a prompt, as a person's browser would save them.
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        options.setBinary(onPath("chromium", "chromium-browser", "google-chrome").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(onPath("chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        signIn(TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD);
    }

    /** The name or password field of the login form, wherever the component keeps it; null before it renders. */
    private static final String LOGIN_INPUT = """
            const form = document.getElementById('login');
            if (!form) return null;
            for (const scope of [form, form.shadowRoot]) {
              const field = scope && scope.querySelector('[name="' + arguments[0] + '"]');
              const input = field && (field.tagName === 'INPUT' ? field : field.querySelector('input'));
              if (input) return input;
            }
            return null;
            """;

    /** Types a name and password into the login page and sends them with Enter, as a person would. */
    private void submitLogin(String user, String password) {
        WebElement name = waitFor(PAGE, d -> (WebElement) ((JavascriptExecutor) d).executeScript(LOGIN_INPUT,
                "username"));
        WebElement secret = (WebElement) ((JavascriptExecutor) driver).executeScript(LOGIN_INPUT, "password");
        name.clear();
        name.sendKeys(user);
        secret.clear();
        secret.sendKeys(password, Keys.ENTER);
    }

    /** Signs in through the login page; done once the searches page shows who is signed in. */
    private void signIn(String user, String password) {
        driver.get(root.toString() + "login");
        submitLogin(user, password);
        waitFor(PAGE, d -> d.findElements(By.id("signed-in-as")).stream()
                .anyMatch(e -> e.getText().startsWith(user + " ")));
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
    void aSearchStartedFromTheFormIsFollowedLiveToItsTrialsCellAndExport(@TempDir Path dir) throws IOException {
        // The form's training sizes cut 5,000 + 2,000 images from this file; on 4x4 images a trial takes
        // seconds, and the dataset field is how a person points at them.
        TestData.smallFashionMnist(dir, 8_000, 2_000, 4);
        ControllerKind kind = controllerWithOptions();
        Map<String, Object> options = SearchStrategiesApiTest.tinyOptions(kind);
        int trials = (int) Math.max(3, options.values().stream().mapToLong(v -> (Long) v).max().orElse(0) + 1);

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
        assertEquals(kind.name(), Api.search(id).getString("request.controller"));
        // Nothing reloads the page or polls: the row's progress changes because the server pushes it.
        Object pageMark = markPage();
        waitFor(Api.SEARCH_DEADLINE, d -> {
            List<WebElement> r = row(d, "searches", Long.toString(id));
            return r != null && !r.get(5).getText().strip().startsWith("0 /");
        });
        assertEquals(pageMark, markPage(), "the list was updated in place, not reloaded");
        screenshot("dashboard-searches");

        // Opened while it runs, as a person would: the click must find its row although the list
        // keeps redrawing it.
        waitFor(PAGE, d -> {
            List<WebElement> r = row(d, "searches", Long.toString(id));
            if (r == null) {
                throw new StaleElementReferenceException("the row was re-rendered");
            }
            r.get(0).click();
            return true;
        });
        waitFor(PAGE, d -> d.getCurrentUrl().endsWith("/search/" + id));
        Object detailMark = markPage();
        waitFor(Api.SEARCH_DEADLINE, d -> d.findElements(By.tagName("h2")).stream()
                .anyMatch(h -> h.getText().equals("Search " + id + ": SUCCEEDED")));
        assertEquals(detailMark, markPage(), "the search page followed the search without a reload");
        JsonPath search = Api.search(id);
        assertEquals("SUCCEEDED", search.getString("status"));
        String test = String.format(Locale.ROOT, "%.4f", search.getDouble("bestTestAccuracy"));
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
        assertTrue(summary.contains("(stand-alone"), summary);
        String onnx = driver.findElement(By.linkText("Trained network (ONNX)")).getDomAttribute("href");
        assertTrue(onnx.endsWith("/api/searches/" + id + "/best/export?format=onnx"), onnx);

        // The chart of accuracy against trials has one point per trial trained to the end, at its
        // stored accuracy, as drawn by the chart library in the browser.
        List<Map<String, Object>> succeeded = Api.trials(search).stream().filter(t -> t.get("status")
                .equals("SUCCEEDED")).toList();
        List<List<Number>> plotted = waitFor(PAGE, d -> {
            List<List<Number>> p = chartPoints("chart-trials", 0);
            return p != null && p.size() == succeeded.size() ? p : null;
        });
        for (Map<String, Object> t : succeeded) {
            double accuracy = Api.number(t, "validationAccuracy");
            int number = ((Number) t.get("number")).intValue();
            assertTrue(plotted.stream().anyMatch(p -> p.get(0).intValue() == number
                    && Math.abs(p.get(1).doubleValue() - accuracy) < 1e-4), "trial " + number + " in " + plotted);
        }
        assertEquals(succeeded.size(), chartPoints("chart-cost", 0).size());
        screenshot("dashboard-search-detail");

        // A trial's page: its cell drawn as SVG by the layout library, labelled with the arch string's ops.
        Map<String, Object> first = Api.trials(search).getFirst();
        String arch = (String) first.get("arch");
        waitFor(PAGE, d -> {
            d.findElement(By.linkText(arch)).click();
            return true;
        });
        waitFor(PAGE, d -> d.getCurrentUrl().endsWith("/search/" + id + "/trial/" + first.get("number")));
        List<String> labels = waitFor(PAGE, d -> {
            List<String> l = edgeLabels();
            return l.isEmpty() ? null : l;
        });
        List<String> ops = new java.util.ArrayList<>();
        Matcher op = Pattern.compile("\\|([a-z0-9_]+)~\\d").matcher(arch);
        while (op.find()) {
            if (!op.group(1).equals("none")) {
                ops.add(op.group(1));
            }
        }
        assertEquals(ops.stream().sorted().toList(), labels.stream().sorted().toList(), "edge labels of " + arch);
        String numbers = driver.findElement(By.id("trial-numbers")).getText();
        assertTrue(numbers.contains(String.format(Locale.ROOT, "%.4f (stand-alone validation)",
                Api.number(first, "validationAccuracy"))), numbers);
        screenshot("dashboard-trial");
        String href = driver.findElement(By.id("export-json")).getDomAttribute("href");
        assertTrue(href.endsWith("/api/searches/" + id + "/trials/" + first.get("number") + "/export?format=json"), href);
        driver.findElement(By.id("export-json")).click();
        // The browser saves the file under the name the server gives; a partial download ends in .crdownload.
        Path saved = waitFor(PAGE, d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.toString().endsWith(".json")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        JsonPath exported = Api.json(Files.readString(saved));
        assertEquals(arch, exported.getString("arch"));
    }

    @Test
    void aDartsSearchFromTheFormShowsItsSupernetEpochsAndEveryEdgesWeights(@TempDir Path dir)
            throws IOException {
        TestData.smallFashionMnist(dir, 8_000, 2_000, 4);
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
        // One chart per edge, one line per operation, one point per epoch: the last epoch's weights as stored.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lastAlpha = (List<Map<String, Object>>) epochs.getLast().get("alpha");
        @SuppressWarnings("unchecked")
        List<List<Number>> lastWeights = (List<List<Number>>) lastAlpha.get(0).get("weights");
        assertEquals(lastWeights.size(), driver.findElements(By.cssSelector("#alpha-charts cf-chart")).size());
        for (int op = 0; op < lastWeights.get(0).size(); op++) {
            List<List<Number>> line = chartPoints("alpha-0", op);
            assertEquals(2, line.size());
            assertEquals(lastWeights.get(0).get(op).doubleValue(), line.get(1).get(1).doubleValue(), 1e-4);
        }
        List<String> trialCells = texts(cells(driver, "trials"));
        String genotype = (String) Api.trials(search).get(0).get("arch");
        assertTrue(trialCells.contains(genotype), trialCells.toString());
        assertTrue(trialCells.contains(String.format(Locale.ROOT, "%.4f",
                Api.number(Api.trials(search).get(0), "supernetEstimate"))), "the estimate is shown: " + trialCells);
        screenshot("dashboard-darts-search");
    }

    /**
     * Signing out leads to the login page and keeps every page behind it; a wrong password is shown as
     * such; a viewer sees the searches and their pages without any control that changes them, where an
     * operator sees them.
     */
    @Test
    void aViewerSignsInAndSeesNoControlThatChangesASearch(@TempDir Path dir) throws IOException {
        // A budget no machine spends before the pause arrives; the search is cancelled at the end.
        long id = Api.start(Api.tinyOn(dir, 1_000));
        // Paused, the search stays where both users can see it: resumable and cancellable by an operator.
        io.restassured.RestAssured.given().post("/api/searches/{id}/pause", id).then().statusCode(202);
        try {
            driver.get(root.toString());
            waitFor(PAGE, d -> !d.findElements(By.id("resume-" + id)).isEmpty()
                    && !d.findElements(By.id("cancel-" + id)).isEmpty());
            assertTrue(driver.findElement(By.id("start-search")).isDisplayed());
            assertEquals(TestUsers.OPERATOR + " (operator)", driver.findElement(By.id("signed-in-as")).getText());

            driver.findElement(By.id("sign-out")).click();
            waitFor(PAGE, d -> d.getCurrentUrl().contains("/login") && !d.findElements(By.id("login")).isEmpty());
            driver.get(root.toString() + "search/" + id);
            waitFor(PAGE, d -> !d.findElements(By.id("login")).isEmpty());
            assertTrue(driver.findElements(By.id("signed-in-as")).isEmpty(), "a signed-out browser sees no search");

            submitLogin(TestUsers.VIEWER, "not-the-password");
            waitFor(PAGE, d -> d.getCurrentUrl().contains("error")
                    && d.findElement(By.id("login")).getDomAttribute("error") != null);
            screenshot("dashboard-login-failed");

            submitLogin(TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD);
            waitFor(PAGE, d -> d.findElements(By.id("signed-in-as")).stream()
                    .anyMatch(e -> e.getText().equals(TestUsers.VIEWER + " (viewer)")));
            driver.get(root.toString());
            waitFor(PAGE, d -> texts(cells(d, "searches")).contains(Long.toString(id)));
            assertTrue(driver.findElements(By.id("resume-" + id)).isEmpty(), "a viewer gets no resume");
            assertTrue(driver.findElements(By.id("cancel-" + id)).isEmpty(), "a viewer gets no cancel");
            assertTrue(driver.findElements(By.id("start-search")).stream().noneMatch(WebElement::isDisplayed),
                    "a viewer gets no form to start searches");
            screenshot("dashboard-viewer");

            driver.get(root.toString() + "search/" + id);
            waitFor(PAGE, d -> d.findElements(By.tagName("h2")).stream()
                    .anyMatch(h -> h.getText().equals("Search " + id + ": PAUSED")));
            for (String control : List.of("cancel-search", "pause-search", "resume-search")) {
                assertTrue(driver.findElements(By.id(control)).stream().noneMatch(WebElement::isDisplayed), control);
            }
        } finally {
            io.restassured.RestAssured.given().post("/api/searches/{id}/cancel", id).then().statusCode(202);
            Api.awaitEnd(id);
        }
    }

    @Test
    void anOperatorAddsAnAccountWhoSignsInAndChangesItsPassword() throws IOException {
        String name = "browser-viewer";
        try {
            driver.get(root.toString());
            waitFor(PAGE, d -> d.findElements(By.id("accounts-link")).stream().findFirst().orElse(null)).click();
            type(input("account-name"), name);
            driver.findElement(By.id("add-account")).click();
            String shown = waitFor(PAGE, d -> {
                String text = d.findElement(By.id("shown-password")).getText();
                return text.startsWith("Password of " + name + ": ") ? text : null;
            });
            String password = shown.substring(("Password of " + name + ": ").length()).split(" ")[0];
            assertEquals(20, password.length(), shown);
            List<WebElement> added = waitFor(PAGE, d -> row(d, "accounts", name));
            assertEquals("viewer", added.get(1).getText().strip());
            screenshot("dashboard-accounts");

            driver.findElement(By.id("sign-out")).click();
            waitFor(PAGE, d -> !d.findElements(By.id("login")).isEmpty());
            signIn(name, password);
            assertEquals(name + " (viewer)", driver.findElement(By.id("signed-in-as")).getText());
            assertTrue(driver.findElements(By.id("accounts-link")).isEmpty(), "a viewer gets no accounts page");
            driver.get(root.toString() + "accounts");
            // The navigation is refused as if there were no such page.
            waitFor(PAGE, d -> !d.findElements(By.id("accounts")).isEmpty()
                    || d.findElement(By.tagName("body")).getText().contains("Could not navigate"));
            assertTrue(driver.findElements(By.id("accounts")).isEmpty(), "nor does typing its address show it");

            driver.get(root.toString());
            waitFor(PAGE, d -> d.findElements(By.id("change-password")).stream().findFirst().orElse(null)).click();
            type(input("current-password"), "not-the-password");
            type(input("next-password"), "a-new-passphrase");
            driver.findElement(By.id("save-password")).click();
            waitFor(PAGE, d -> d.findElement(By.id("current-password")).getDomAttribute("invalid") != null);
            type(input("current-password"), password);
            driver.findElement(By.id("save-password")).click();
            waitFor(PAGE, d -> d.findElements(By.id("password-dialog")).stream().noneMatch(WebElement::isDisplayed));

            driver.findElement(By.id("sign-out")).click();
            waitFor(PAGE, d -> !d.findElements(By.id("login")).isEmpty());
            signIn(name, "a-new-passphrase");
        } finally {
            io.restassured.RestAssured.given().delete("/api/accounts/{name}", name);
        }
    }

    @Test
    void theTrialsGridReadsPagesOfALargeSearchNotAllOfIt(@TempDir Path dir) throws IOException {
        long id = Api.start(Api.tinyOn(dir, 1));
        Api.awaitSuccess(id);
        int added = 20_000;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into trial (search_id, number, "
                        + "arch, status, validation_accuracy, parameters, seconds, created_at, finished_at, told, "
                        + "attempts) select ?1, 1 + n, 'added-' || n, 'FAILED', null, 1000 + n, 1, now(), now(), "
                        + "true, 1 from generate_series(1, ?2) n")
                .setParameter(1, id).setParameter(2, added).executeUpdate());
        org.hibernate.stat.Statistics stats = em.getEntityManagerFactory()
                .unwrap(org.hibernate.SessionFactory.class).getStatistics();
        stats.setStatisticsEnabled(true);
        long loadedBefore = stats.getEntityLoadCount();
        driver.get(root.toString() + "search/" + id);
        // The grid knows how many trials there are (a count) and shows the newest first.
        waitFor(PAGE, d -> row(d, "trials", Integer.toString(added + 1), 1) != null);
        Number size = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.getElementById('trials').size;");
        assertEquals(added + 1, size.intValue());
        // Trials read whole (the grid's rows) are entity loads; the charts read every trial as a point, by
        // design, through a projection of a few columns that loads none.
        long loaded = stats.getEntityLoadCount() - loadedBefore;
        assertTrue(loaded < 1_000, "opening the page loaded " + loaded + " stored objects of a search with "
                + (added + 1) + " trials");
        screenshot("dashboard-large-search");
    }

    @Test
    void aRecipeFillsTheFormAndItsSearchKeepsItsNameItsRetrainingAndWhatTheFormDoesNotShow(@TempDir Path dir)
            throws IOException {
        SearchRequest flagship = Recipe.read(Path.of("..", "recipes", "fmnist-under-100k.json"));
        TestData.smallFashionMnist(dir, 8_000, 2_000, 4);
        driver.get(root.toString());
        waitFor(PAGE, d -> !d.findElements(By.id("start-search")).isEmpty());
        choose("recipe", flagship.recipeLabel());
        waitFor(PAGE, d -> fieldValue("channels").equals(flagship.channels().toString()));
        assertEquals(flagship.controller(), selected("controller"));
        assertEquals(flagship.recipe().get("description"), driver.findElement(By.id("recipe-description")).getText());
        assertEquals(flagship.cellsPerStage().toString(), fieldValue("cells-per-stage"));
        assertEquals(flagship.warmStart().toString(), fieldValue("warm-start"));
        assertEquals(flagship.retrainEpochs().toString(), fieldValue("retrain-epochs"));
        assertEquals(flagship.retrainingSettings().data(), selected("retraining-data"));
        assertEquals(flagship.retrainingSettings().augmentation().orElseThrow(), selected("retraining-augmentation"));
        assertEquals(flagship.retrainingSettings().testTimeAugmentation(),
                selected("retraining-testTimeAugmentation"));
        screenshot("dashboard-recipe-form");

        // The recipe in miniature: what the form changes overrides the recipe, field by field.
        type(input("option-nsga2-population"), "4");
        type(input("trials"), "5");
        type(input("channels"), "4");
        type(input("cells-per-stage"), "1");
        type(input("train-size"), "1000");
        type(input("validation-size"), "500");
        type(input("warm-start"), "6");
        type(input("retrain-epochs"), "1");
        // Past the recipe's first rung of successive halving (epoch 3), which one epoch would never reach.
        long id = startSearchOn(dir, 4);
        JsonPath search = Api.awaitSuccess(id);
        assertEquals(flagship.recipe().get("name"), search.getString("request.recipe.name"));
        assertEquals(((Number) flagship.recipe().get("version")).intValue(), search.getInt("request.recipe.version"));
        assertEquals(5, search.getInt("request.trials"));
        assertEquals(4, search.getInt("request.channels"));
        assertEquals(4, search.getInt("request.options.population"));
        assertEquals(((Number) flagship.options().get("maxParameters")).longValue(),
                search.getLong("request.options.maxParameters"), "an option the form did not change stays");
        assertEquals(flagship.threads().intValue(), search.getInt("request.threads"),
                "a setting the form does not show stays the recipe's");
        assertEquals(flagship.retrainingSettings().data(), search.getString("request.retraining.data"));
        assertEquals(flagship.retrainingSettings().testTimeAugmentation(),
                search.getString("request.retraining.testTimeAugmentation"));
        assertEquals(flagship.retrainingSettings().testTimeAugmentation(),
                search.getString("retrains[0].testTimeAugmentation"));
        // One network retrained (the recipe's "best", not NSGA-II's default of its whole front), on every
        // image of the training file, as the recipe's retraining says.
        assertEquals(flagship.retrain(), search.getString("request.retrain"));
        assertEquals(List.of(8_000), QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select r.trainImages from RetrainEntity r where r.searchId = :id and r.testAccuracy is not null",
                Integer.class).setParameter("id", id).getResultList()));

        // Its page tells the retraining's time budget from the recipe beside the ceiling the form set.
        long minutes = flagship.retrainingSettings().minutes().orElseThrow().longValue();
        driver.get(root.toString() + "search/" + id);
        String summary = waitFor(PAGE, d -> d.findElements(By.id("search-summary")).stream().map(WebElement::getText)
                .filter(t -> t.contains("(retrained)")).findFirst().orElse(null));
        assertTrue(summary.contains("for as many epochs as fit in " + minutes + " minutes (at most 1)"), summary);
        // And how each test image was predicted, when not as it is.
        assertEquals(flagship.retrainingSettings().testedAs().isPresent(), summary.contains(", tested with "), summary);
        flagship.retrainingSettings().testedAs().ifPresent(a -> assertTrue(summary.contains(", tested with " + a + ";"),
                summary));
        // The retrained accuracy in the grids names its test-time augmentation, the way the form does.
        String tta = flagship.retrainingSettings().testTimeAugmentation();
        String tested = String.format(Locale.ROOT, "%.4f", search.getDouble("retrains[0].testAccuracy"))
                + (tta.equals("none") ? "" : " (" + tta + ")");
        waitFor(PAGE, d -> texts(cells(d, "retrains")).contains(tested));
        driver.get(root.toString());
        waitFor(PAGE, d -> {
            List<WebElement> r = row(d, "searches", Long.toString(id));
            return r != null && texts(r).contains(tested);
        });
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
        return startSearchOn(dir, 1);
    }

    private long startSearchOn(Path dir, int epochs) {
        type(input("epochs"), Integer.toString(epochs));
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

    /**
     * Marks the document with a random value and answers it: the same value later means the page was
     * never reloaded in between (a reload starts a new document without it).
     */
    private Object markPage() {
        return ((JavascriptExecutor) driver).executeScript(
                "return window.__cellforgeMark || (window.__cellforgeMark = String(Math.random()));");
    }

    /**
     * The {@code [x, y]} points of series {@code series} of chart {@code id} as the chart library holds
     * them after drawing, or null before it has drawn.
     */
    @SuppressWarnings("unchecked")
    private List<List<Number>> chartPoints(String id, int series) {
        return (List<List<Number>>) ((JavascriptExecutor) driver).executeScript(CHART_POINTS, id, series);
    }

    /** The texts of the edge labels of the cell drawing on the page. */
    @SuppressWarnings("unchecked")
    private List<String> edgeLabels() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(EDGE_LABELS);
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

    /** The text in the input of field {@code fieldId}, as shown. */
    private String fieldValue(String fieldId) {
        return input(fieldId).getDomProperty("value");
    }

    /** The item select {@code id} shows as chosen. */
    private String selected(String id) {
        return driver.findElement(By.cssSelector("#" + id + " vaadin-select-value-button")).getText().strip();
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
    private static List<WebElement> row(WebDriver d, String gridId, String first) {
        return row(d, gridId, first, 0);
    }

    /** {@link #row(WebDriver, String, String)} matched on column {@code column}. */
    @SuppressWarnings("unchecked")
    private static List<WebElement> row(WebDriver d, String gridId, String first, int column) {
        List<List<WebElement>> rows = (List<List<WebElement>>) ((JavascriptExecutor) d).executeScript("""
                const grid = document.getElementById(arguments[0]);
                if (!grid || !grid.shadowRoot) return [];
                return [...grid.shadowRoot.querySelectorAll('tbody tr')]
                    .filter(tr => !tr.hidden)
                    .map(tr => [...tr.querySelectorAll('td')].map(td => {
                        const slot = td.querySelector('slot');
                        return slot ? slot.assignedElements()[0] : null;
                    }))
                    .filter(cells => cells.length > 0 && cells.every(c => c));
                """, gridId);
        return rows.stream().filter(r -> r.size() > column && r.get(column).getText().strip().equals(first))
                .findFirst().orElse(null);
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

    /** Saves what the browser shows under tests/target/ for a person to look at; the checks are elsewhere. */
    private void screenshot(String name) throws IOException {
        Path shot = Path.of("target", name + ".png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
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

package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchProgress;
import org.cellforge.web.search.SearchRequest;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.TrialInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The dashboard in headless Chromium shows, for a stored search, the trials Postgres holds. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DashboardBrowserTest {

    @Inject
    SearchService searches;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

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

    @Test
    void trialsGridShowsTheRowsStoredInTheDatabase() throws Exception {
        SearchInfo search = searches.runNow(new SearchRequest(null, null, 2, 1, 3L, 4, 1, 50, 300, 100),
                SearchProgress.none());
        assertEquals("SUCCEEDED", search.status(), search.error());
        List<String> stored = searches.get(search.id()).trials().stream().map(TrialInfo::arch).toList();
        assertEquals(2, stored.size());

        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(onPath("chromium", "chromium-browser", "google-chrome").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(onPath("chromedriver").toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get("http://localhost:" + port + "/search/" + search.id());
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> cellTexts(d.findElements(
                    By.tagName("vaadin-grid-cell-content"))).stream().anyMatch(stored::contains));
            List<String> cells = cellTexts(driver.findElements(By.tagName("vaadin-grid-cell-content")));
            for (String arch : stored) {
                assertTrue(cells.contains(arch), "grid shows " + arch + "; cells: " + cells);
            }
            // Each trial shows its last epoch (one here), and the best network can be downloaded.
            assertTrue(cells.contains("1"), "epochs done; cells: " + cells);
            String onnx = driver.findElement(By.linkText("Trained network (ONNX)")).getAttribute("href");
            assertTrue(onnx.endsWith("/api/searches/" + search.id() + "/best/export?format=onnx"), onnx);
            Path shot = Path.of("target", "dashboard-search-" + search.id() + ".png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            assertTrue(Files.size(shot) > 10_000, "screenshot should show a rendered page");

            driver.get("http://localhost:" + port + "/");
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> cellTexts(d.findElements(
                    By.tagName("vaadin-grid-cell-content"))).contains(Long.toString(search.id())));
        } finally {
            driver.quit();
        }
    }

    private static List<String> cellTexts(List<WebElement> cells) {
        return cells.stream().map(c -> c.getText().strip()).toList();
    }
}

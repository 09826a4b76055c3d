package id.go.pdn.hub.report.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.report.ReportTest;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.Needs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The HTML report as a person sees it: the demo application's report opened in a headless Chromium (Debian's
 * chromium and chromium-driver; .ci/chromium.sh installs them) renders its verdict and charts without a console error,
 * also when the ledger holds hostile text. Screenshots go to target/ for the record.
 */
@Needs(ExternalServers.Server.CHROMIUM)
class ReportInChromiumIT {

    private static final Path CHROMIUM = ExternalServers.CHROMIUM_BINARY;
    private static final Path CHROMEDRIVER = ExternalServers.CHROMEDRIVER_BINARY;

    @TempDir
    Path dir;

    private ChromeDriver browser;

    @BeforeEach
    void startChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1280,1800", "--user-data-dir=" + dir.resolve("chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void reportRendersItsVerdictAndChartsWithoutConsoleErrors() throws Exception {
        Path demo = ReportTest.demo(dir);
        assertThat(HubCli.run("--data-dir", demo.toString(), "-c", ReportTest.demoConfig(demo), "report", "simpeg", "--routes",
                dir.resolve("demo-routes").toString()).exit())
                .isZero();
        Path html = demo.resolve("reports/simpeg/report.html");

        // the console is read for real: an error logged by a page shows up as SEVERE (reading drains the log)
        browser.get("data:text/html,<p>probe</p>");
        browser.executeScript("console.error('probe of the browser log')");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .anyMatch(e -> e.getLevel().equals(Level.SEVERE) && e.getMessage().contains("probe of the browser log"));

        open(html);
        WebElement verdict = browser.findElement(By.id("verdict"));
        assertThat(verdict.isDisplayed()).isTrue();
        assertThat(verdict.getText()).startsWith("COMPLETE AND VERIFIED");
        assertChartsDrawn(8);
        assertThat(browser.findElement(By.id("kind-db")).getText()).contains("PEGAWAI", "8,000");
        screenshot("report-verified.png");
        Files.copy(browser.findElement(By.id("runs")).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "report-runs.png"),
                StandardCopyOption.REPLACE_EXISTING);
        assertNoConsoleErrors();

        // the same application with a failed file whose key and error are markup: shown as text, nothing loaded or run
        try (Connection ledger = DriverManager.getConnection("jdbc:h2:file:" + demo.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE", "sa",
                java.nio.file.Files.readString(demo.resolve("ledger/ledger.password")).strip());
             var statement = ledger.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE hub_item SET status = 'FAILED', item_key = 'surat masuk/<img src=x onerror=alert(1)>.pdf', "
                    + "last_error = '<script>console.error(\"injected\")</script> target refused' WHERE item_id = (SELECT MIN(item_id) "
                    + "FROM hub_item WHERE migration = 'simpeg-files')")).isEqualTo(1);
        }
        assertThat(HubCli.run("--data-dir", demo.toString(), "report", "simpeg").exit()).isEqualTo(Main.NOT_VERIFIED);
        open(html);
        verdict = browser.findElement(By.id("verdict"));
        assertThat(verdict.getText()).startsWith("NOT VERIFIED").contains("simpeg-files: 1 of", "items not verified (1 FAILED)");
        assertThat(browser.findElement(By.id("kind-files")).getText())
                .contains("surat masuk/<img src=x onerror=alert(1)>.pdf", "<script>console.error(\"injected\")</script> target refused");
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.findElements(By.tagName("script"))).isEmpty();
        assertChartsDrawn(8);
        screenshot("report-not-verified.png");
        assertNoConsoleErrors();
    }

    private void open(Path html) {
        browser.get(html.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(b -> "complete".equals(((JavascriptExecutor) b).executeScript("return document.readyState")));
    }

    /** Every chart is an SVG laid out with a non-zero size, holding drawn shapes. */
    private void assertChartsDrawn(int charts) {
        List<WebElement> svgs = browser.findElements(By.cssSelector("svg.chart"));
        assertThat(svgs).hasSize(charts);
        for (WebElement svg : svgs) {
            assertThat(svg.getSize().getWidth()).as("width of %s", svg.getAttribute("aria-label")).isPositive();
            assertThat(svg.getSize().getHeight()).as("height of %s", svg.getAttribute("aria-label")).isPositive();
            assertThat(svg.findElements(By.tagName("rect"))).as("shapes of %s", svg.getAttribute("aria-label")).isNotEmpty();
        }
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
        entries.forEach(e -> System.out.println("browser console: " + e));
        assertThat(entries).filteredOn(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).isEmpty();
    }

    private void screenshot(String name) throws Exception {
        Path file = Path.of("target", name);
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + file.toAbsolutePath());
    }
}

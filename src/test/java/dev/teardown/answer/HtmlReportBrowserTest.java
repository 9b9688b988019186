package dev.teardown.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The HTML report of real captures opened in a real browser: Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver (no driver or browser is downloaded). Opened from disk, the page logs no console error,
 * makes no network request but for itself, paints a screenshot that is not blank at a laptop's width, and holds
 * each section's chart elements. Skipped without {@code chromium} and {@code chromium-driver} installed, except
 * under CI (CI=true), where a missing browser fails instead (.ci/run installs both).
 */
@Tag("browser")
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Real programs on loopback (nginx, ab, curl, python; samples/README.md), read as one 15 s capture. */
    static final List<Path> REAL = List.of("nginx-keepalive-requests", "curl-connection-close", "ab-http10",
        "ab-keepalive", "python-http-server", "python-http11-close", "pipelined", "nginx-idle-timeout",
        "keepalive-idle-timeout").stream().map(n -> Path.of("samples/" + n + ".pcap")).toList();

    private static WebDriver driver;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs chromium and chromium-driver");
        }
        assumeTrue(installed, "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        // Debian's driver for Debian's browser: Selenium Manager is never asked to find or download either.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--window-size=1366,900", "--no-first-run", "--disable-extensions");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL", LogType.PERFORMANCE, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) driver.quit();
    }

    /** Writes {@code html} to a file and opens it; returns the file's URL as the browser names it. */
    private static String open(String name, String html) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, html, StandardCharsets.UTF_8);
        driver.manage().logs().get(LogType.BROWSER); // drop entries of pages opened before
        driver.manage().logs().get(LogType.PERFORMANCE);
        driver.get(file.toUri().toString());
        return driver.getCurrentUrl();
    }

    private static List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    @Test
    void realSampleReportOpensWithoutConsoleErrorsOrNetworkRequests() throws IOException {
        String url = open("real.html", Capture.run(REAL, Capture.options()).page("teardown: real samples"));
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) severe.add(e.getMessage());
        }
        assertEquals(List.of(), severe, "console errors");
        ObjectMapper json = new ObjectMapper();
        List<String> requested = new ArrayList<>();
        int events = 0;
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = json.readTree(e.getMessage()).get("message");
            events++;
            if (message.get("method").asText().equals("Network.requestWillBeSent")) {
                requested.add(message.get("params").get("request").get("url").asText());
            }
        }
        assertTrue(events > 0, "the performance log was recorded");
        assertEquals(List.of(url), requested, "the only request is the page itself");
        assertTrue(all("script").isEmpty(), "no script element");
    }

    @Test
    void realSampleReportPaintsAScreenshotThatIsNotBlank() throws IOException {
        open("real.html", Capture.run(REAL, Capture.options()).page("teardown: real samples"));
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        long painted = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb != 0xFFFFFF) painted++;
            }
        }
        double share = (double) painted / ((long) image.getWidth() * image.getHeight());
        assertTrue(share > 0.03, "at least 3% of the first screen painted, not " + share);
    }

    @Test
    void everySectionHoldsItsChartElementsAtALaptopWidth() throws IOException {
        Capture.Result r = Capture.run(REAL, Capture.options());
        open("real.html", r.page("teardown: real samples"));
        assertEquals(HtmlReport.SECTIONS, all("section[data-section]").stream()
            .map(e -> e.getAttribute("data-section")).toList(), "the sections, in reading order");
        assertFalse(all("#headline p.headline strong").isEmpty(), "the headline answer");
        assertEquals(r.findings().size(), all("#findings li[data-finding]").size(), "one item per finding");
        List<WebElement> tw = all("#time-wait figure[data-chart='time-wait']");
        assertEquals(2, tw.size(), "one chart per endpoint that held TIME_WAIT (2 here)");
        for (WebElement f : tw) {
            assertEquals(2, f.findElements(By.cssSelector("path.series")).size(), "server and client lines");
            assertEquals(2, f.findElements(By.cssSelector(".peak")).size(), "both peaks marked");
            assertFalse(f.findElements(By.cssSelector(".peak title")).isEmpty(), "peaks say what they are on hover");
        }
        assertEquals(4, all("#closes figure[data-chart='closes'] path.series").size(), "client, server, both, RST");
        assertFalse(all("#idle figure[data-chart='idle'] rect.bar").isEmpty(), "idle histogram bars");
        assertFalse(all("#idle line.marker-line[data-marker='idle-timeout']").isEmpty(), "the inferred timeout marked");
        assertFalse(all("#requests figure[data-chart='requests'] rect.bar").isEmpty(), "requests bars");
        assertFalse(all("#close-reasons rect.bar[data-key='client-requested-close']").isEmpty(), "close reason bars");
        assertFalse(all("#what-if table[data-table='what-if'] tbody tr").isEmpty(), "what-if rows");
        assertFalse(all("#port-pressure table[data-table='port-pressure'] tbody tr").isEmpty(), "port pressure rows");
        assertEquals(2, all("#endpoints table[data-table='endpoints'] tbody tr").size(), "server endpoint rows");
        assertFalse(all("#capture li[data-warning='time-wait-before-capture']").isEmpty(), "the invisible TIME_WAIT");
        // Readable at a laptop's width: every chart drawn across the column, and nothing wider than the window.
        long width = driver.manage().window().getSize().getWidth();
        for (WebElement svg : all("figure.chart svg")) {
            Dimension d = svg.getSize();
            assertTrue(d.getWidth() > 600 && d.getWidth() <= width && d.getHeight() > 100,
                "chart " + svg.getAttribute("id") + " is " + d);
        }
    }

    @Test
    void hostileHeadersSampleNamedLikeMarkupOpensAsPlainText() throws IOException {
        Path copy = dir.resolve("<img src=x onerror=alert(1)>.pcap");
        Files.copy(Path.of("samples/crafted/hostile-headers.pcap"), copy);
        String title = "teardown: " + copy;
        open("hostile.html", Capture.run(List.of(copy), Capture.options()).page(title));
        assertTrue(all("img").isEmpty() && all("script").isEmpty(), "no element from the file name");
        assertEquals(title, driver.findElement(By.tagName("h1")).getText(), "the name shown as text");
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) severe.add(e.getMessage());
        }
        assertEquals(List.of(), severe, "console errors");
        assertTrue(new File(copy.toString()).exists());
    }
}

package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by chromedriver, for the viewer's browser tests: started once per
 * test class, with its own profile, an alert left open for the test to see, and the console log
 * kept so that a test can check no script error or CSP violation happened.
 */
final class ViewerBrowser implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  // Debian's Chromium is often a version Selenium has no CDP classes for; the tests use none, so
  // the warning about it is noise. Held here so that the level is not lost with the logger.
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  /** The browser's local time zone: half an hour off any whole-hour zone, so local is never UTC. */
  static final String TIME_ZONE = "Asia/Kolkata";

  private final Path profile;
  private final ChromeDriverService service;
  final WebDriver driver;

  private ViewerBrowser(Path profile, ChromeDriverService service, WebDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  /** Skips the calling test class without Chromium, except on CI (variable {@code CI}) where it fails. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    if (!installed && System.getenv("CI") != null) {
      fail("CI must install chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
    }
    assumeTrue(installed, "needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
  }

  static ViewerBrowser start() throws IOException {
    assumeInstalled();
    CDP_LOG.setLevel(Level.SEVERE);
    Path profile = Files.createTempDirectory("radiograph-viewer-chromium");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .withEnvironment(Map.of("TZ", TIME_ZONE))
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1440,900");
    // Leave any alert open so that the test sees it instead of the driver dismissing it.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", profile.resolve("downloads").toString(),
        "download.prompt_for_download", false));
    return new ViewerBrowser(profile, service, new ChromeDriver(service, options));
  }

  /** Where the browser saves downloads. */
  Path downloads() {
    return profile.resolve("downloads");
  }

  /** Opens the viewer of {@code daemon} at {@code hash} (a fresh page load). */
  void open(Daemon daemon, String hash) {
    driver.get("about:blank");
    driver.get(daemon.baseUrl() + "/" + hash);
  }

  Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  void screenshot(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Asserts no alert is open and the console has no error since the last call. */
  void assertNoAlertAndNoErrors() {
    assertNoAlertAndNoErrors(null);
  }

  /** The same, but for console errors containing {@code expected} (one a test causes on purpose), or null. */
  void assertNoAlertAndNoErrors(String expected) {
    assertThatThrownBy(() -> driver.switchTo().alert())
        .as("no alert() ran: markup in documents must stay text")
        .isInstanceOf(NoAlertPresentException.class);
    List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> expected == null || !message.contains(expected))
        .collect(Collectors.toList());
    assertThat(severe).as("browser console errors (script errors, CSP violations, failed requests)").isEmpty();
  }

  /** The trace ids of the list's rows, read in one step (no stale rows while the list updates). */
  @SuppressWarnings("unchecked")
  List<String> rowIds() {
    return new ArrayList<>((List<String>) script(
        "return [...document.querySelectorAll('#trace-list tr.trace-row')].map(r => r.dataset.traceId);"));
  }

  /** Waits until the list shows exactly these traces (in any order). */
  void waitForTraces(Duration timeout, String... traceIds) {
    Set<String> expected = Set.of(traceIds);
    try {
      new WebDriverWait(driver, timeout).until(d -> {
        List<String> ids = rowIds();
        return ids.size() == expected.size() && expected.containsAll(ids);
      });
    } catch (TimeoutException e) {
      throw new AssertionError("expected the list to show " + expected + " but it shows " + rowIds(), e);
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    service.stop();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

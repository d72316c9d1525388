package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium driven by chromedriver, with a profile of its own, for the browser
 * tests. Needs the {@code chromium} and {@code chromium-driver} packages; without them the test is
 * skipped, except on CI (the {@code CI} environment variable) where it fails.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  // Debian's Chromium is often a version Selenium has no CDP classes for; the tests use none, so
  // the warning about it is noise. Held here so that the level is not lost with the logger.
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  /** The browser's local time zone: half an hour off any whole-hour zone, so local is never UTC. */
  static final String TIME_ZONE = "Asia/Kolkata";

  private final Path profile;
  private final ChromeDriverService service;
  private final WebDriver driver;

  private HeadlessChromium(Path profile, ChromeDriverService service, WebDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  /** Skips the calling test without Chromium, except on CI (variable {@code CI}) where it fails. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    if (!installed && System.getenv("CI") != null) {
      fail("CI must install chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
    }
    assumeTrue(installed, "needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
  }

  /**
   * Starts the browser (local time {@link #TIME_ZONE}, downloads saved to {@link #downloads()}
   * without asking), or skips the calling test where Chromium is not installed.
   */
  static HeadlessChromium start() throws IOException {
    assumeInstalled();
    CDP_LOG.setLevel(Level.SEVERE);
    Path profile = Files.createTempDirectory("radiograph-chromium");
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
    return new HeadlessChromium(profile, service, new ChromeDriver(service, options));
  }

  WebDriver driver() {
    return driver;
  }

  /** Where the browser saves downloads. */
  Path downloads() {
    return profile.resolve("downloads");
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

package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer's browser tests' view of a {@link HeadlessChromium}: started once per test class,
 * with what those tests read (the trace list's rows, the console log, so that a test can check no
 * script error or CSP violation happened, screenshots).
 */
final class ViewerBrowser implements AutoCloseable {
  /** The browser's local time zone (see {@link HeadlessChromium#TIME_ZONE}). */
  static final String TIME_ZONE = HeadlessChromium.TIME_ZONE;

  private final HeadlessChromium chromium;
  final WebDriver driver;

  private ViewerBrowser(HeadlessChromium chromium) {
    this.chromium = chromium;
    this.driver = chromium.driver();
  }

  /** Skips the calling test class without Chromium, except on CI (variable {@code CI}) where it fails. */
  static void assumeInstalled() {
    HeadlessChromium.assumeInstalled();
  }

  static ViewerBrowser start() throws IOException {
    return new ViewerBrowser(HeadlessChromium.start());
  }

  /** Where the browser saves downloads. */
  Path downloads() {
    return chromium.downloads();
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
    chromium.close();
  }
}

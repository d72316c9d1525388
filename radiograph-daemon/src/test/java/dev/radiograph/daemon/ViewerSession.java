package dev.radiograph.daemon;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.WebDriver;

/**
 * What every viewer browser test class runs against: one daemon and one headless Chromium for the
 * class, and after each test the check that no {@code alert()} ran and the console stayed free of
 * errors (markup in documents must stay text; no script error or CSP violation). Registered as a
 * static {@code @RegisterExtension} field, so it starts before the class's own
 * {@code @BeforeAll}, which fills the daemon.
 *
 * <p>Without Chromium the class is skipped, except on CI where it fails
 * ({@link ViewerBrowser#assumeInstalled()}).
 */
final class ViewerSession implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final DaemonConfig config;
  private final Deque<AutoCloseable> alsoClose = new ArrayDeque<>();
  private Daemon daemon;
  private ViewerBrowser browser;
  private String expectedConsoleError;

  /** A session whose daemon is started with {@code config}. */
  ViewerSession(DaemonConfig config) {
    this.config = config;
  }

  /** A session with a daemon on random loopback ports and the default store. */
  static ViewerSession onLoopback() {
    return new ViewerSession(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
  }

  Daemon daemon() {
    return daemon;
  }

  ViewerBrowser browser() {
    return browser;
  }

  WebDriver driver() {
    return browser.driver;
  }

  /** Closes {@code resource} (another daemon, a client) after the class, before the daemon. */
  <T extends AutoCloseable> T closeAfterAll(T resource) {
    alsoClose.push(resource);
    return resource;
  }

  /**
   * Lets console errors containing {@code fragment} pass the check after the current test: one the
   * test causes on purpose (the 400 of an invalid filter).
   */
  void expectConsoleError(String fragment) {
    expectedConsoleError = fragment;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ViewerBrowser.assumeInstalled();
    daemon = Daemon.start(config);
    browser = ViewerBrowser.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    String expected = expectedConsoleError;
    expectedConsoleError = null;
    if (browser != null) {
      browser.assertNoAlertAndNoErrors(expected);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try (AutoCloseable closeDaemon = daemon; AutoCloseable closeBrowser = browser) {
      while (!alsoClose.isEmpty()) {
        alsoClose.pop().close();
      }
    }
  }
}

package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The access checks in headless Chromium. A page on another origin tries what any web page a
 * developer opens could:
 * POST a segment to the daemon as {@code text/plain} (a "simple" request, sent without a
 * preflight) and read the stats. The daemon refuses both: nothing is stored and nothing read.
 * The other origin is a second loopback server on another port (Chromium calls that same-site),
 * and the daemon is also called by another name for it (cross-site). And a daemon that needs a
 * token opens in the browser from the link it prints, and not without it.
 */
class BrowserAccessTest {
  private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272799";

  private static String page(List<String> daemonUrls) {
    String document = "{\"name\":\"attack\",\"id\":\"70de5b6f19ff9a99\",\"trace_id\":\"" + TRACE + "\","
        + "\"start_time\":1465510280.5,\"end_time\":1465510280.75}";
    StringBuilder calls = new StringBuilder();
    for (String url : daemonUrls) {
      calls.append("  await attempt('post " + url + "', () => fetch('" + url + "/TraceSegments', {method: 'POST',"
          + " mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({TraceSegmentDocuments: [doc]})})"
          + ".then(() => 'sent'));\n");
      calls.append("  await attempt('read " + url + "', () => fetch('" + url + "/radiograph/stats').then(r => r.text()));\n");
    }
    return "<!DOCTYPE html><html><head><title>attacker</title></head><body><script>\n"
        + "const doc = " + quoteForJs(document) + ";\n"
        + "window.results = [];\n"
        + "async function attempt(what, call) {\n"
        + "  try { window.results.push(what + ': ' + await call()); } catch (e) { window.results.push(what + ': failed'); }\n"
        + "}\n"
        + "(async () => {\n" + calls + "  document.title = 'done';\n})();\n"
        + "</script></body></html>";
  }

  private static String quoteForJs(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static HeadlessChromium browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = HeadlessChromium.start();
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void theViewerOpensFromItsTokenLinkAndNotWithout() throws Exception {
    String token = "correct-horse-battery-staple";
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .allowRemote(List.of("traces.internal")).token(token).build())) {
      long now = System.currentTimeMillis() / 1000;
      String traceId = String.format("1-%08x-%024x", now, 42);
      String document = "{\"name\":\"checkout\",\"id\":\"70de5b6f19ff9a42\",\"trace_id\":\"" + traceId + "\","
          + "\"start_time\":" + now + ",\"end_time\":" + (now + 1) + "}";
      assertThat(RawHttp.status(RawHttp.post(daemon.httpPort(), "127.0.0.1", "/TraceSegments", "",
          "{\"TraceSegmentDocuments\":[\"" + document.replace("\"", "\\\"") + "\"]}"))).isEqualTo(200);
      WebDriver driver = browser.driver();
      driver.get(daemon.baseUrl() + "/");
      assertThat(driver.getPageSource()).contains("needs its token");
      driver.get(daemon.baseUrl() + "/?token=" + token);
      List<Object> rows = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
        @SuppressWarnings("unchecked")
        List<Object> ids = (List<Object>) ((JavascriptExecutor) d).executeScript(
            "return [...document.querySelectorAll('#trace-list tr.trace-row')].map(r => r.dataset.traceId);");
        return ids.isEmpty() ? null : ids;
      });
      assertThat(rows).containsExactly((Object) traceId);
      assertThat(driver.getCurrentUrl()).as("the token left the address bar").doesNotContain("token");
    }
  }

  @Test
  void aPageOnAnotherOriginCanNeitherWriteNorReadTraces() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      // What reached the daemon, seen before its checks: proof that the browser did send.
      List<String> arrived = new CopyOnWriteArrayList<>();
      daemon.router().route().order(-1).handler(ctx -> {
        arrived.add(ctx.request().method() + " " + ctx.request().path() + " from " + ctx.request().getHeader("Origin"));
        ctx.next();
      });
      List<String> daemonUrls = List.of(daemon.baseUrl(), "http://localhost:" + daemon.httpPort());
      byte[] attack = page(daemonUrls).getBytes(StandardCharsets.UTF_8);
      HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      other.createContext("/", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, attack.length);
        exchange.getResponseBody().write(attack);
        exchange.close();
      });
      other.start();
      try {
        WebDriver driver = browser.driver();
        String origin = "http://127.0.0.1:" + other.getAddress().getPort();
        driver.get(origin + "/attack.html");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "done".equals(d.getTitle()));
        @SuppressWarnings("unchecked")
        List<String> results = (List<String>) ((JavascriptExecutor) driver).executeScript("return window.results;");

        assertThat(arrived).as("the browser sent both POSTs").contains(
            "POST /TraceSegments from " + origin);
        assertThat(arrived).filteredOn(a -> a.startsWith("POST /TraceSegments")).hasSize(2);
        boolean stored = daemon.store().read(s -> s.get(TRACE) != null);
        assertThat(stored).as("nothing stored").isFalse();
        assertThat(daemon.store().stats().accepted()).isZero();
        assertThat(results).as("nothing read").filteredOn(r -> r.startsWith("read")).hasSize(2)
            .allMatch(r -> r.endsWith(": failed"));
      } finally {
        other.stop(0);
      }
    }
  }
}

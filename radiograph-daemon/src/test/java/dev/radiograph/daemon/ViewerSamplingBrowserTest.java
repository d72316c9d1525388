package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer's Sampling page in headless Chromium against a real daemon: the rules in the order the
 * SDKs apply them, each field as text (a rule name with markup stays text), and the counts the
 * SDKs report, refreshed by the live toggle.
 */
class ViewerSamplingBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MARKUP = "<img src=x onerror=alert(1)>";

  @RegisterExtension
  static final ViewerSession viewer = ViewerSession.onLoopback();
  // The session's daemon and browser, under the short names the tests use.
  private static Daemon daemon;
  private static ViewerBrowser browser;
  private static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    daemon = viewer.daemon();
    browser = viewer.browser();
    driver = viewer.driver();
    createRule("orders", 5, "/orders*");
    createRule(MARKUP, 2, "/admin*");
  }

  private static String post(String path, String body) throws Exception {
    return DaemonApiTestSupport.postJsonOk(daemon.baseUrl(), path, body);
  }

  private static void createRule(String name, int priority, String urlPath) throws Exception {
    post("/CreateSamplingRule", "{\"SamplingRule\":{\"RuleName\":" + quote(name) + ",\"Priority\":" + priority
        + ",\"FixedRate\":0.25,\"ReservoirSize\":3,\"ServiceName\":\"shop\",\"ServiceType\":\"*\",\"Host\":\"*\","
        + "\"HTTPMethod\":\"GET\",\"URLPath\":" + quote(urlPath) + ",\"ResourceARN\":\"*\",\"Version\":1,"
        + "\"Attributes\":{\"tier\":\"gold\"}}}");
  }

  /** What an SDK reports for a rule (GetSamplingTargets' statistics). */
  private static void report(String rule, int requests, int sampled, int borrowed) throws Exception {
    post("/SamplingTargets", "{\"SamplingStatisticsDocuments\":[{\"RuleName\":" + quote(rule)
        + ",\"ClientID\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"Timestamp\":" + System.currentTimeMillis() / 1000
        + ",\"RequestCount\":" + requests + ",\"SampledCount\":" + sampled + ",\"BorrowCount\":" + borrowed + "}]}");
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @SuppressWarnings("unchecked")
  private static List<List<String>> rows() {
    return (List<List<String>>) browser.script("return [...document.querySelectorAll('#sampling-rules tr')]"
        + ".map(r => [...r.cells].map(c => c.textContent));");
  }

  @Test
  void listsTheRulesInPriorityOrderWithTheirLiveCounts() throws Exception {
    report("orders", 40, 7, 1);
    browser.open(daemon, "#/traces");
    driver.findElement(By.id("tab-sampling")).click();
    new WebDriverWait(driver, WAIT).until(d -> rows().size() == 3);
    assertThat(driver.getCurrentUrl()).contains("#/sampling");
    assertThat(driver.findElement(By.id("view-traces")).isDisplayed()).isFalse();
    List<List<String>> rows = rows();
    assertThat(rows).extracting(r -> r.get(1)).containsExactly(MARKUP, "orders", "Default");
    List<String> orders = rows.get(1);
    // Priority, Rule, Reservoir, Rate, Service, Type, Host, Method, URL path, ARN, Attributes, Boost, counts
    assertThat(orders.subList(0, 13)).containsExactly("5", "orders", "3/s", "25%", "shop", "*", "*", "GET",
        "/orders*", "*", "tier=gold", "", "40");
    assertThat(orders.get(13)).isEqualTo("7");
    assertThat(orders.get(14)).isEqualTo("1");
    assertThat(driver.findElements(By.cssSelector("#sampling img"))).as("markup in a rule name stays text").isEmpty();
    assertThat(rows.get(2).get(12)).isEqualTo("0");

    // The live toggle (on by default) refreshes the counts as the SDKs report.
    report("orders", 60, 3, 0);
    new WebDriverWait(driver, WAIT).until(d -> "100".equals(rows().get(1).get(12)));
    assertThat(rows().get(1).get(13)).isEqualTo("10");
    browser.screenshot(Path.of("target/viewer-sampling.png"));

    // A rule deleted through the API leaves the page at the next refresh.
    post("/DeleteSamplingRule", "{\"RuleName\":" + quote(MARKUP) + "}");
    new WebDriverWait(driver, WAIT).until(d -> rows().size() == 2);
    assertThat(rows()).extracting(r -> r.get(1)).containsExactly("orders", "Default");
  }
}

package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.daemon.store.DocumentSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * X-Ray groups as the viewer's saved filters, in headless Chromium: groups made with the AWS SDK
 * v2 {@link XRayClient} appear in the menu beside the filter box, and picking one filters the list
 * by the group's expression, which is shown as text, never as markup.
 */
class ViewerSavedFiltersBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAST = "1-6560b000-00000000000000000000000a";
  private static final String SLOW = "1-6560b000-00000000000000000000000b";

  @RegisterExtension
  static final ViewerSession viewer = ViewerSession.onLoopback();
  // The session's daemon and browser, under the short names the tests use.
  private static Daemon daemon;
  private static XRayClient xray;
  private static ViewerBrowser browser;
  private static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    daemon = viewer.daemon();
    browser = viewer.browser();
    driver = viewer.driver();
    xray = viewer.closeAfterAll(DaemonApiTestSupport.xrayClient(daemon));
    double base = Math.floor(System.currentTimeMillis() / 1000.0) - 120;
    store(FAST, "5000000000000001", base, 0.05, "http://shop/orders/<b>1</b>");
    store(SLOW, "5000000000000002", base + 10, 2.5, "http://shop/checkout");
    xray.createGroup(b -> b.groupName("slow").filterExpression("responsetime > 1"));
  }


  @Test
  void aGroupIsASavedFilterThatFillsTheFilterBox() throws Exception {
    browser.open(daemon, "#/traces?range=900");
    browser.waitForTraces(WAIT, FAST, SLOW);
    WebElement menu = driver.findElement(By.id("saved-filters"));
    new WebDriverWait(driver, WAIT).until(d -> menu.isDisplayed());
    assertThat(optionTexts(menu)).containsExactly("Groups (1)", "slow");

    // A group made while the page is open is there when the menu is next opened; its expression,
    // markup included, is text.
    String markup = "http.url CONTAINS \"<b>1</b>\" OR annotation.x = \"<img src=x onerror=alert(1)>\"";
    xray.createGroup(b -> b.groupName("tagged").filterExpression(markup));
    menu.click();
    new WebDriverWait(driver, WAIT).until(d -> optionTexts(menu).contains("tagged"));
    menu.click(); // closes the menu again
    WebElement tagged = menu.findElements(By.tagName("option")).get(2);
    assertThat(tagged.getAttribute("title")).isEqualTo(markup);
    assertThat(menu.findElements(By.tagName("img"))).isEmpty();

    new Select(menu).selectByVisibleText("slow");
    new WebDriverWait(driver, WAIT).until(d -> "responsetime > 1".equals(
        d.findElement(By.id("filter")).getAttribute("value")));
    browser.waitForTraces(WAIT, SLOW);
    assertThat(driver.findElements(By.cssSelector("#trace-list tr.trace-row"))).hasSize(1);
    assertThat(new Select(menu).getFirstSelectedOption().getText()).isEqualTo("Groups (2)");
    assertThat(driver.getCurrentUrl()).contains("filter=responsetime");
    browser.screenshot(Path.of("target/viewer-saved-filters.png"));

    new Select(menu).selectByVisibleText("tagged");
    new WebDriverWait(driver, WAIT).until(d -> markup.equals(d.findElement(By.id("filter")).getAttribute("value")));
    browser.waitForTraces(WAIT, FAST);
    assertThat(driver.findElements(By.cssSelector("#trace-list tr.trace-row"))).hasSize(1);

    xray.deleteGroup(b -> b.groupName("slow"));
    xray.deleteGroup(b -> b.groupName("tagged"));
    driver.findElement(By.id("refresh")).click();
    new WebDriverWait(driver, WAIT).until(d -> !menu.isDisplayed());
  }

  private static List<String> optionTexts(WebElement menu) {
    return menu.findElements(By.tagName("option")).stream().map(WebElement::getText).toList();
  }

  private static void store(String traceId, String id, double start, double seconds, String url) throws Exception {
    daemon.store().add(DocumentSummary.parse(JSON.writeValueAsString(Map.of(
        "name", "shop", "id", id, "trace_id", traceId, "start_time", start, "end_time", start + seconds,
        "http", Map.of("request", Map.of("method", "GET", "url", url), "response", Map.of("status", 200))))));
  }
}

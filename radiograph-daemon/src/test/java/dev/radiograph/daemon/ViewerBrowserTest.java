package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.daemon.api.LogsUrlTemplate;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trace viewer in a real browser (headless Chromium) against a real daemon, fed by the real
 * SDK over UDP: the trace list and its filter, the timeline across two services, the detail
 * panel, the service map, the status bar, and that markup inside documents stays text. A second
 * daemon, started with {@code --logs-url}, serves the "Logs" links.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} packages; without them the test
 * is skipped, except on CI (the {@code CI} environment variable) where it fails.
 */
class ViewerBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String SCRIPT_ANNOTATION = "<script>alert(1)</script>";
  private static final String IMG_METADATA = "<img src=x onerror=alert(2)>";
  private static final String MARKUP_URL = "http://localhost:8080/search?q=<script>alert(3)</script>";
  private static final LogsUrlTemplate LOGS_URL = LogsUrlTemplate.parse(
      "http://127.0.0.1:9/logs/{service}?traceId={traceId}&xray={xrayTraceId}&span={spanId}&from={start}&to={end}");
  private static final String HOSTILE_SERVICE = "\"><script>alert(4)</script>";
  private static final String AMPERSAND_SERVICE = "orders & billing";
  private static final String HOSTILE_TRACE = "1-65f0a1b2-0123456789abcdef01234567";

  @RegisterExtension
  static final ViewerSession viewer = ViewerSession.onLoopback();
  // The session's daemon and browser, under the short names the tests use.
  private static Daemon daemon;
  private static Daemon logsDaemon;   // started with --logs-url, holds HOSTILE_TRACE
  private static final Map<String, Stored> hostileEntities = new LinkedHashMap<>();
  private static ViewerBrowser browser;
  private static WebDriver driver;

  private static String aliceTrace;   // frontend -> inventory, ok
  private static String faultTrace;   // frontend, a failed subsegment (fault, exception)
  private static String markupTrace;  // frontend, markup in annotation, metadata and URL
  private static String stockQueryId; // aliceTrace's stock-query subsegment

  @BeforeAll
  static void startDaemonAndBrowser() throws Exception {
    daemon = viewer.daemon();
    browser = viewer.browser();
    driver = viewer.driver();
    int documents = sendTraces();
    assertThat(daemon.awaitDocuments(documents, WAIT)).as("documents stored by the daemon").isTrue();
    logsDaemon = viewer.closeAfterAll(Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .logsUrl(LOGS_URL.text()).build()));
    putHostileTrace();
  }

  /** Three traces: one across two services, one with a fault, one with markup in its data. */
  private static int sendTraces() {
    Recorder frontend = recorder(100);
    // Streams finished subsegments as soon as more than one is held, as a busy service would.
    Recorder inventory = recorder(1);
    try {
      Segment alice = frontend.beginSegment("frontend");
      alice.putHttp("method", "GET");
      alice.putHttp("url", "http://localhost:8080/orders/1");
      alice.putAnnotation("customer", "alice");
      Subsegment call = frontend.beginSubsegment("inventory-call");
      call.setNamespace(Subsegment.NAMESPACE_REMOTE);
      call.putHttp("method", "GET");
      call.putHttp("url", "http://inventory:9000/stock/1");
      // The downstream service continues the trace from the call's header.
      Segment stock = inventory.beginSegment("inventory", call.traceHeader());
      stock.putHttp("method", "GET");
      stock.putHttp("url", "http://inventory:9000/stock/1");
      Subsegment query = inventory.beginSubsegment("stock-query");
      query.setNamespace(Subsegment.NAMESPACE_REMOTE);
      query.putSql("url", "jdbc:postgresql://db:5432/stock");
      query.putSql("sanitized_query", "SELECT count FROM stock WHERE sku = ?");
      query.putSql("database_type", "PostgreSQL");
      stockQueryId = query.id();
      inventory.endSubsegment();
      inventory.beginSubsegment("stock-cache");
      inventory.endSubsegment(); // the second finished subsegment: both are streamed on their own
      stock.putHttp("status", 200);
      inventory.endSegment();
      call.putHttp("status", 200);
      frontend.endSubsegment();
      alice.putHttp("status", 200);
      frontend.endSegment();
      aliceTrace = alice.traceId().toString();

      Segment failing = frontend.beginSegment("frontend");
      failing.putHttp("method", "POST");
      failing.putHttp("url", "http://localhost:8080/checkout");
      failing.putAnnotation("customer", "bob");
      Subsegment lookup = frontend.beginSubsegment("DynamoDb");
      lookup.setNamespace("aws");
      lookup.putAws("table_name", "carts");
      lookup.putAws("retries", 1);
      lookup.putAws("request_id", "REQ-7QK");
      lookup.putAws("region", "eu-west-1");
      lookup.putAws("operation", "GetItem");
      lookup.putHttp("status", 200);
      frontend.endSubsegment();
      Subsegment charge = frontend.beginSubsegment("charge-card");
      IllegalStateException declined =
          new IllegalStateException("card declined", new ConnectException("payment gateway refused"));
      charge.addException(declined);
      frontend.endSubsegment();
      failing.addException(declined); // recorded on the subsegment: the segment refers to it by id
      failing.putHttp("status", 500);
      frontend.endSegment();
      faultTrace = failing.traceId().toString();

      Segment markup = frontend.beginSegment("frontend");
      markup.putHttp("method", "GET");
      markup.putHttp("url", MARKUP_URL);
      markup.putAnnotation("note", SCRIPT_ANNOTATION);
      markup.putMetadata("payload", Map.of("html", IMG_METADATA));
      markup.putHttp("status", 200);
      frontend.endSegment();
      markupTrace = markup.traceId().toString();

      assertThat(frontend.flush(WAIT)).isTrue();
      assertThat(inventory.flush(WAIT)).isTrue();
      return 6; // three frontend segments, the inventory segment and its two streamed subsegments
    } finally {
      frontend.close();
      inventory.close();
    }
  }

  /**
   * A trace whose names the SDK would have sanitized, put straight through the X-Ray API: a
   * segment named like markup, its subsegment, and a downstream segment whose name holds an
   * ampersand and spaces.
   */
  private static void putHostileTrace() throws Exception {
    double base = Math.floor(System.currentTimeMillis() / 1000.0) - 30 + 0.1234567;
    hostileEntities.put(HOSTILE_SERVICE, new Stored("a1b2c3d4e5f60718", base, base + 0.5));
    hostileEntities.put("db query", new Stored("b1b2c3d4e5f60718", base + 0.01, base + 0.4));
    hostileEntities.put(AMPERSAND_SERVICE, new Stored("c1b2c3d4e5f60718", base + 0.0205, base + 0.3003));
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> root = entity(HOSTILE_SERVICE);
    root.put("trace_id", HOSTILE_TRACE);
    root.put("subsegments", List.of(entity("db query")));
    Map<String, Object> downstream = entity(AMPERSAND_SERVICE);
    downstream.put("trace_id", HOSTILE_TRACE);
    downstream.put("parent_id", hostileEntities.get("db query").id());
    String body = json.writeValueAsString(Map.of("TraceSegmentDocuments",
        List.of(json.writeValueAsString(root), json.writeValueAsString(downstream))));
    assertThat(DaemonApiTestSupport.post(logsDaemon, "/TraceSegments", body)).contains("\"UnprocessedTraceSegments\":[]");
  }

  private static Map<String, Object> entity(String name) {
    Stored stored = hostileEntities.get(name);
    Map<String, Object> entity = new LinkedHashMap<>();
    entity.put("name", name);
    entity.put("id", stored.id());
    entity.put("start_time", stored.start());
    entity.put("end_time", stored.end());
    return entity;
  }

  /** An entity of HOSTILE_TRACE as it was put: id, start and end (epoch seconds). */
  private record Stored(String id, double start, double end) {}

  private static Recorder recorder(int streamingThreshold) {
    return Recorder.builder()
        .daemonAddress("127.0.0.1:" + daemon.udpPort())
        .streamingThreshold(streamingThreshold)
        .sampling(false)
        .environment(Map.of())
        .systemProperties(new Properties())
        .build();
  }


  // ------------------------------------------------------------------ trace list and filter

  @Test
  void listShowsEveryTraceNewestFirst() {
    open("#/traces");
    assertThat(waitForRowIds(3)).containsExactly(markupTrace, faultTrace, aliceTrace);
    WebElement fault = row(faultTrace);
    assertThat(fault.findElement(By.cssSelector("td.status")).getText()).isEqualTo("500");
    assertThat(fault.findElements(By.cssSelector(".badge.fault"))).hasSize(1);
    assertThat(row(aliceTrace).findElements(By.cssSelector(".badge"))).isEmpty();
    assertThat(row(markupTrace).findElement(By.cssSelector("td.url")).getText()).isEqualTo(MARKUP_URL);
    assertThat(driver.findElement(By.id("range")).getAttribute("value")).isEqualTo("3600");
  }

  @Test
  void filterNarrowsTheList() {
    open("#/traces");
    waitForRowIds(3);

    applyFilter("annotation.customer = \"alice\"");
    waitForTraces(aliceTrace);

    applyFilter("fault");
    waitForTraces(faultTrace);

    applyFilter("service(\"inventory\")");
    waitForTraces(aliceTrace);

    applyFilter("http.url CONTAINS \"<script>\"");
    waitForTraces(markupTrace);

    applyFilter("");
    waitForTraces(aliceTrace, faultTrace, markupTrace);
    assertThat(driver.findElement(By.id("filter-error")).isDisplayed()).isFalse();
  }

  @Test
  void invalidFilterShowsTheDaemonsMessage() {
    open("#/traces");
    waitForRowIds(3);
    viewer.expectConsoleError("/TraceSummaries - Failed to load resource: the server responded with a status of 400");
    applyFilter("responsetime >");
    WebElement error = new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-error")));
    assertThat(error.getText()).contains("position");
    assertThat(driver.findElement(By.id("filter")).getAttribute("class")).contains("invalid");
    assertThat(rows()).as("the last good list stays").hasSize(3);

    applyFilter("fault");
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("filter-error")));
    waitForTraces(faultTrace);
  }

  @Test
  void liveToggleAndTimeRange() {
    open("#/traces");
    waitForRowIds(3);
    WebElement live = driver.findElement(By.id("live"));
    assertThat(live.isSelected()).isTrue();
    live.click();
    assertThat(live.isSelected()).isFalse();
    new Select(driver.findElement(By.id("range"))).selectByValue("300");
    waitForTraces(aliceTrace, faultTrace, markupTrace);
    live.click();
    assertThat(live.isSelected()).isTrue();
  }

  // ------------------------------------------------------------------ timeline and details

  @Test
  void timelineNestsTheDownstreamServiceUnderItsCall() throws IOException {
    open("#/traces");
    waitForRowIds(3);
    row(aliceTrace).click();
    List<WebElement> rows = waitForTimelineRows(5);
    assertThat(rows).extracting(r -> r.findElement(By.cssSelector(".entity-name")).getText())
        .containsExactly("frontend", "inventory-call", "inventory", "stock-query", "stock-cache");
    assertThat(rows).extracting(r -> r.getAttribute("data-depth")).containsExactly("0", "1", "2", "3", "3");
    assertThat(rows.get(0).getAttribute("class")).contains("is-segment");
    assertThat(rows.get(2).getAttribute("class")).contains("is-segment");
    assertThat(driver.findElement(By.id("trace-header")).getText()).contains(aliceTrace);
    for (WebElement bar : driver.findElements(By.cssSelector("#timeline .tl-bar"))) {
      assertThat(bar.getSize().getWidth()).as("every bar is drawn").isGreaterThan(0);
    }

    timelineRow("stock-query").click();
    WebElement detail = waitForDetail("stock-query");
    assertThat(detail.getText())
        .contains("SELECT count FROM stock WHERE sku = ?")
        .contains("PostgreSQL")
        .contains("remote");
    screenshot(Path.of("target", "viewer.png"));

    timelineRow("inventory").click();
    detail = waitForDetail("inventory");
    assertThat(detail.getText()).contains("http://inventory:9000/stock/1").contains("200");
  }

  @Test
  void detailMarksTheSdkThatRecordedTheEntity() {
    open("#/traces");
    waitForRowIds(3);
    row(aliceTrace).click();
    waitForTimelineRows(5);
    timelineRow("stock-query").click(); // a subsegment: its segment's SDK
    WebElement detail = waitForDetail("stock-query");
    assertThat(detail.findElement(By.cssSelector(".detail-badges .badge.sdk")).getText()).startsWith("Radiograph for Java");
  }

  @Test
  void detailShowsExceptionsAndCauseReferences() throws IOException {
    open("#/traces");
    waitForRowIds(3);
    row(faultTrace).click();
    waitForTimelineRows(3);
    assertThat(timelineRow("frontend").getAttribute("class")).contains("o-fault");

    timelineRow("charge-card").click();
    WebElement detail = waitForDetail("charge-card");
    List<WebElement> exceptions = detail.findElements(By.cssSelector(".exception"));
    assertThat(exceptions).hasSize(2);
    assertThat(exceptions.get(0).findElement(By.cssSelector(".exception-type")).getText())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(exceptions.get(0).findElement(By.cssSelector(".exception-message")).getText())
        .isEqualTo("card declined");
    assertThat(exceptions.get(0).findElements(By.cssSelector(".stack .frame-label")))
        .extracting(WebElement::getText)
        .anyMatch(label -> label.contains("ViewerBrowserTest.sendTraces"));
    assertThat(exceptions.get(0).findElements(By.cssSelector(".stack .frame-loc")))
        .extracting(WebElement::getText)
        .anyMatch(loc -> loc.matches("ViewerBrowserTest\\.java:\\d+"));
    assertThat(exceptions.get(1).getText()).contains("java.net.ConnectException").contains("payment gateway refused");
    String faultExceptionId = exceptions.get(0).getAttribute("data-exception-id");
    assertThat(faultExceptionId).matches("[0-9a-f]{16}");
    screenshot(Path.of("target", "viewer-exception.png"));

    timelineRow("frontend").click();
    detail = waitForDetail("frontend");
    assertThat(detail.findElement(By.cssSelector(".cause-ref-text")).getText())
        .isEqualTo("see exception " + faultExceptionId);
    assertThat(detail.getText()).contains("http://localhost:8080/checkout").contains("bob");

    // The reference leads to the entity that recorded the exception.
    detail.findElement(By.cssSelector(".cause-ref a.link")).click();
    waitForDetail("charge-card");
  }

  @Test
  void detailShowsAnAwsCallsBlockCallFirst() {
    open("#/traces");
    waitForRowIds(3);
    row(faultTrace).click();
    waitForTimelineRows(3);
    timelineRow("DynamoDb").click();
    WebElement detail = waitForDetail("DynamoDb");
    WebElement aws = detail.findElements(By.cssSelector(".detail-section")).stream()
        .filter(section -> section.findElement(By.tagName("h3")).getText().equals("AWS"))
        .findFirst().orElseThrow(() -> new AssertionError("no AWS section in " + detail.getText()));
    assertThat(aws.findElements(By.cssSelector("dl.kv > dt"))).extracting(WebElement::getText)
        .containsExactly("operation", "region", "request_id", "retries", "table_name");
    assertThat(aws.getText()).contains("GetItem").contains("eu-west-1").contains("REQ-7QK").contains("carts");
  }

  @Test
  void markupInDocumentsIsShownAsText() {
    open("#/traces/" + markupTrace);
    waitForTimelineRows(1);
    timelineRow("frontend").click();
    WebElement detail = waitForDetail("frontend");
    assertThat(detail.findElements(By.cssSelector(".a-value"))).extracting(WebElement::getText)
        .contains(SCRIPT_ANNOTATION);
    assertThat(detail.findElement(By.cssSelector(".metadata-ns pre")).getText()).contains(IMG_METADATA);
    assertThat(detail.getText()).contains(MARKUP_URL);
    assertThat(driver.findElements(By.cssSelector("#detail img, #detail script, #trace-list img, #trace-list script")))
        .as("no element was made from document data")
        .isEmpty();
    assertThat(driver.findElements(By.tagName("script"))).as("only the viewer's own module").hasSize(1);
    assertThat(row(markupTrace).findElement(By.cssSelector("td.url")).getText()).isEqualTo(MARKUP_URL);
  }

  // ------------------------------------------------------------------ logs links and ids

  @Test
  void logsLinksAreTheTemplateFilledWithTheTracesAndEntitysValues() throws IOException {
    open(logsDaemon, "#/traces/" + HOSTILE_TRACE);
    waitForTimelineRows(3);
    Stored root = hostileEntities.get(HOSTILE_SERVICE);
    // The trace's link: its root segment's id and name, over the whole trace's time.
    WebElement traceLink = driver.findElement(By.cssSelector("#trace-header a.logs-link"));
    assertThat(traceLink.getText()).isEqualTo("Logs");
    assertThat(traceLink.getDomAttribute("href"))
        .isEqualTo(expectedLogsHref(HOSTILE_SERVICE, root));
    assertThat(traceLink.getDomAttribute("target")).isEqualTo("_blank");
    assertThat(traceLink.getDomAttribute("rel")).isEqualTo("noopener noreferrer");

    // Each entity's link: its own id and times, and the name of the segment it belongs to.
    for (String name : List.of(HOSTILE_SERVICE, "db query", AMPERSAND_SERVICE)) {
      timelineRow(name).click();
      WebElement detail = waitForDetail(name);
      Stored stored = hostileEntities.get(name);
      String service = name.equals(AMPERSAND_SERVICE) ? AMPERSAND_SERVICE : HOSTILE_SERVICE;
      assertThat(detail.findElement(By.cssSelector(".detail-section.logs a.logs-link")).getDomAttribute("href"))
          .as(name)
          .isEqualTo(expectedLogsHref(service, stored));
      assertThat(logIds(detail)).containsExactly(
          LogsUrlTemplate.w3cTraceId(HOSTILE_TRACE), HOSTILE_TRACE, stored.id());
    }
    screenshot(Path.of("target", "viewer-logs.png"));
    WebElement detail = driver.findElement(By.id("detail"));
    assertThat(detail.findElement(By.cssSelector("a.logs-link")).getDomAttribute("href"))
        .startsWith("http://127.0.0.1:9/logs/orders%20%26%20billing?traceId=65f0a1b20123456789abcdef01234567"
            + "&xray=1-65f0a1b2-0123456789abcdef01234567&span=c1b2c3d4e5f60718&from=");
  }

  @Test
  void hostileNamesAreEncodedInTheLinkNotExecuted() {
    open(logsDaemon, "#/traces/" + HOSTILE_TRACE + "/" + hostileEntities.get("db query").id());
    WebElement detail = waitForDetail("db query");
    String href = detail.findElement(By.cssSelector("a.logs-link")).getDomAttribute("href");
    assertThat(href).startsWith("http://127.0.0.1:9/logs/%22%3E%3Cscript%3Ealert%284%29%3C%2Fscript%3E?traceId=")
        .doesNotContain("<", ">", "\"", " ");
    assertThat(driver.findElement(By.cssSelector("#trace-header a.logs-link")).getDomAttribute("href"))
        .startsWith("http://127.0.0.1:9/logs/%22%3E%3Cscript%3Ealert%284%29%3C%2Fscript%3E?");
    assertThat(driver.findElement(By.cssSelector("#trace-header .trace-services")).getText()).contains(HOSTILE_SERVICE);
    assertThat(driver.findElements(By.cssSelector("#detail script, #trace-header script, #timeline script")))
        .as("no element was made from a name")
        .isEmpty();
    assertThat(driver.findElements(By.tagName("script"))).as("only the viewer's own module").hasSize(1);
  }

  @Test
  void withoutLogsUrlTheDetailPanelShowsTheIdsToPaste() {
    open("#/traces/" + aliceTrace + "/" + stockQueryId);
    WebElement detail = waitForDetail("stock-query");
    assertThat(logIds(detail)).containsExactly(LogsUrlTemplate.w3cTraceId(aliceTrace), aliceTrace, stockQueryId);
    assertThat(LogsUrlTemplate.w3cTraceId(aliceTrace)).matches("[0-9a-f]{32}");
    assertThat(detail.findElements(By.cssSelector(".log-ids button.copy"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("a.logs-link"))).as("no link without --logs-url").isEmpty();
  }

  /** The template filled as the viewer must fill it: the W3C id, times in epoch ms rounded outwards. */
  private static String expectedLogsHref(String service, Stored entity) {
    return LOGS_URL.expand(Map.of(
        "traceId", LogsUrlTemplate.w3cTraceId(HOSTILE_TRACE),
        "xrayTraceId", HOSTILE_TRACE,
        "spanId", entity.id(),
        "service", service,
        "start", Long.toString((long) Math.floor(entity.start() * 1000)),
        "end", Long.toString((long) Math.ceil(entity.end() * 1000))));
  }

  /** The detail panel's ids to paste: W3C trace id, X-Ray trace id, entity id. */
  private static List<String> logIds(WebElement detail) {
    return List.of("traceId", "xrayTraceId", "spanId").stream()
        .map(key -> detail.findElement(By.cssSelector(".log-ids code[data-log-id=" + key + "]")).getText())
        .collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ service map and status bar

  @Test
  void serviceMapDrawsEveryService() throws IOException {
    open("#/traces");
    waitForRowIds(3);
    driver.findElement(By.id("tab-map")).click();
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.until(d -> nodeNames().containsAll(List.of("frontend", "inventory")));
    assertThat(driver.findElement(By.id("service-map")).getTagName()).isEqualTo("svg");
    assertThat(driver.findElements(By.cssSelector("#service-map g.node"))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(driver.findElements(By.cssSelector("#service-map g.edge"))).isNotEmpty();

    WebElement frontend = node("frontend");
    WebElement inventory = node("inventory");
    assertThat(frontend.getRect().getX()).as("callers sit left of callees").isLessThan(inventory.getRect().getX());

    frontend.click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#map-detail .detail-name"), "frontend"));
    WebElement detail = driver.findElement(By.id("map-detail"));
    screenshot(Path.of("target", "service-map.png"));
    assertThat(detail.getText()).containsIgnoringCase("Requests").containsIgnoringCase("Faults");
    detail.findElement(By.xpath(".//button[normalize-space()='View traces']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trace-list")));
    assertThat(driver.findElement(By.id("filter")).getAttribute("value")).isEqualTo("service(\"frontend\")");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("list-summary"), "service(\"frontend\")"));
    waitForTraces(aliceTrace, faultTrace, markupTrace);
  }

  @Test
  void statusBarShowsTheDaemonsCounts() {
    open("#/traces");
    waitForRowIds(3);
    long accepted = daemon.store().stats().accepted();
    long storedTraces = daemon.store().stats().storedTraces();
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("#stats [data-stat=accepted] .stat-num"), String.valueOf(accepted)));
    assertThat(driver.findElement(By.cssSelector("#stats [data-stat=storedTraces] .stat-num")).getText())
        .isEqualTo(String.valueOf(storedTraces));
    assertThat(driver.findElement(By.id("stats")).getText())
        .contains("Received").contains("Malformed").contains("Oversize").contains("Evicted").contains("Daemon connected");
  }

  // ------------------------------------------------------------------ helpers

  private static void open(String hash) {
    open(daemon, hash);
  }

  private static void open(Daemon target, String hash) {
    browser.open(target, hash);
  }

  private static void applyFilter(String expression) {
    WebElement filter = driver.findElement(By.id("filter"));
    filter.clear();
    filter.sendKeys(expression);
    filter.sendKeys(Keys.ENTER);
  }

  private static List<WebElement> rows() {
    return driver.findElements(By.cssSelector("#trace-list tr.trace-row"));
  }

  /** The trace ids of the list's rows, read in one step (no stale rows while the list updates). */
  @SuppressWarnings("unchecked")
  private static List<String> rowIds() {
    return browser.rowIds();
  }

  /** The list's trace ids once it shows {@code count} rows. */
  private static List<String> waitForRowIds(int count) {
    return new WebDriverWait(driver, WAIT).until(d -> {
      List<String> ids = rowIds();
      return ids.size() == count ? ids : null;
    });
  }

  /** Waits until the list shows exactly these traces (in any order). */
  private static void waitForTraces(String... traceIds) {
    browser.waitForTraces(WAIT, traceIds);
  }

  private static WebElement row(String traceId) {
    return driver.findElement(By.cssSelector("#trace-list tr.trace-row[data-trace-id='" + traceId + "']"));
  }

  private static List<WebElement> waitForTimelineRows(int count) {
    return new WebDriverWait(driver, WAIT).until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#timeline .timeline-row"));
      return rows.size() == count ? rows : null;
    });
  }

  private static WebElement timelineRow(String name) {
    return driver.findElements(By.cssSelector("#timeline .timeline-row")).stream()
        .filter(r -> r.findElement(By.cssSelector(".entity-name")).getText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no timeline row named " + name));
  }

  private static WebElement waitForDetail(String name) {
    new WebDriverWait(driver, WAIT).until(
        ExpectedConditions.textToBe(By.cssSelector("#detail .detail-name"), name));
    return driver.findElement(By.id("detail"));
  }

  private static List<String> nodeNames() {
    return driver.findElements(By.cssSelector("#service-map g.node text.node-name")).stream()
        .map(WebElement::getText)
        .collect(Collectors.toList());
  }

  private static WebElement node(String name) {
    return driver.findElement(By.cssSelector("#service-map g.node[data-name='" + name + "']"));
  }

  private static void screenshot(Path target) throws IOException {
    browser.screenshot(target);
  }
}

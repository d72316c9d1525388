package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.daemon.store.DocumentSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer's features of issue 17 in headless Chromium against a real daemon: the view in the
 * URL, sortable columns, counts by group, the response-time histogram, the trace view's critical
 * path, search, keyboard, download and open, comparison, the service map's links to traces, dark
 * mode and UTC times. Documents go straight into the daemon's store, so that each trace has the
 * exact times the assertions name.
 */
@SuppressWarnings("unchecked")
class ViewerFeaturesBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final ViewerSession viewer = ViewerSession.onLoopback();
  // The session's daemon and browser, under the short names the tests use.
  private static Daemon daemon;
  private static ViewerBrowser browser;
  private static WebDriver driver;
  private static double base;

  // frontend GET /orders/1 200 in 50 ms (alice); calls inventory, which queries the database
  private static final String ORDERS = "1-6560a000-00000000000000000000000a";
  // frontend POST /checkout 500 in 800 ms (bob), a fault
  private static final String CHECKOUT = "1-6560a000-00000000000000000000000b";
  // billing GET /invoices 200 in 200 ms (alice)
  private static final String INVOICES = "1-6560a000-00000000000000000000000c";

  @BeforeAll
  static void start() throws Exception {
    daemon = viewer.daemon();
    browser = viewer.browser();
    driver = viewer.driver();
    base = Math.floor(System.currentTimeMillis() / 1000.0) - 120;
    putTraces();
  }


  private static void putTraces() throws Exception {
    Map<String, Object> query = entity("stock-query", "5000000000000003", base + 0.012, base + 0.040);
    query.put("namespace", "remote");
    query.put("sql", Map.of("sanitized_query", "SELECT count FROM stock WHERE sku = ?", "database_type", "PostgreSQL"));
    Map<String, Object> cache = entity("stock-cache", "5000000000000004", base + 0.005, base + 0.008);
    Map<String, Object> inventory = segment(ORDERS, "inventory", "5000000000000002", base + 0.004, base + 0.042, 200, "http://inventory:9000/stock/1");
    inventory.put("parent_id", "5000000000000005");
    inventory.put("subsegments", List.of(cache, query));
    Map<String, Object> call = entity("inventory-call", "5000000000000005", base + 0.003, base + 0.045);
    call.put("namespace", "remote");
    Map<String, Object> audit = entity("audit-log", "5000000000000006", base + 0.001, base + 0.002);
    Map<String, Object> orders = segment(ORDERS, "frontend", "5000000000000001", base, base + 0.050, 200, "http://localhost:8080/orders/1");
    orders.put("annotations", Map.of("customer", "alice"));
    orders.put("subsegments", List.of(audit, call));
    store(orders, inventory);

    Map<String, Object> checkout = segment(CHECKOUT, "frontend", "6000000000000001", base + 10, base + 10.8, 500, "http://localhost:8080/checkout");
    checkout.put("fault", true);
    checkout.put("annotations", Map.of("customer", "bob"));
    ((Map<String, Object>) checkout.get("http")).put("request", Map.of("method", "POST", "url", "http://localhost:8080/checkout"));
    store(checkout);

    Map<String, Object> invoices = segment(INVOICES, "billing", "7000000000000001", base + 20, base + 20.2, 200, "http://billing:7000/invoices");
    invoices.put("annotations", Map.of("customer", "alice"));
    store(invoices);
  }

  static Map<String, Object> entity(String name, String id, double start, double end) {
    Map<String, Object> entity = new LinkedHashMap<>();
    entity.put("name", name);
    entity.put("id", id);
    entity.put("start_time", start);
    entity.put("end_time", end);
    return entity;
  }

  static Map<String, Object> segment(String traceId, String name, String id, double start, double end, int status, String url) {
    Map<String, Object> segment = entity(name, id, start, end);
    segment.put("trace_id", traceId);
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("request", Map.of("method", "GET", "url", url));
    http.put("response", Map.of("status", status));
    segment.put("http", http);
    return segment;
  }

  @SafeVarargs
  private static void store(Map<String, Object>... documents) throws Exception {
    for (Map<String, Object> document : documents) {
      daemon.store().add(DocumentSummary.parse(JSON.writeValueAsString(document)));
    }
  }

  // ------------------------------------------------------------------ 1. the view in the URL, sorting, counts

  @Test
  void aLinkWithFilterAndRangeOpensTheSameListAndTheTraceAfterIt() throws Exception {
    String filter = "service(\"billing\") OR http.status = 500";
    String query = "?filter=" + encodeUriComponent(filter) + "&range=900";
    browser.open(daemon, "#/traces" + query);
    waitForTraces(INVOICES, CHECKOUT);
    assertThat(driver.findElement(By.id("filter")).getAttribute("value")).isEqualTo(filter);
    assertThat(driver.findElement(By.id("range")).getAttribute("value")).isEqualTo("900");

    row(INVOICES).click();
    new WebDriverWait(driver, WAIT).until(d -> hash().startsWith("#/traces/" + INVOICES + "/"));
    String link = hash();
    assertThat(link).endsWith(query);

    // The link, pasted into a new page, opens the same list with the same trace and entity.
    browser.open(daemon, link);
    waitForTraces(INVOICES, CHECKOUT);
    new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#timeline .timeline-row.selected")).size() == 1);
    assertThat(driver.findElement(By.cssSelector("#trace-header .trace-id")).getText()).isEqualTo(INVOICES);

    // A fixed range from the URL: only the trace that started in it.
    browser.open(daemon, "#/traces?from=" + (long) (base + 5) + "&to=" + (long) (base + 15));
    waitForTraces(CHECKOUT);
    assertThat(new Select(driver.findElement(By.id("range"))).getFirstSelectedOption().getText()).contains("–");
    browser.screenshot(Path.of("target/viewer-url-view.png"));
  }

  @Test
  void columnsSortTheList() {
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    assertThat(rowIds()).containsExactly(INVOICES, CHECKOUT, ORDERS); // newest first
    sortButton("response").click();
    new WebDriverWait(driver, WAIT).until(d -> rowIds().equals(List.of(CHECKOUT, INVOICES, ORDERS)));
    sortButton("response").click();
    new WebDriverWait(driver, WAIT).until(d -> rowIds().equals(List.of(ORDERS, INVOICES, CHECKOUT)));
    assertThat(sortButton("response").findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("ascending");
    sortButton("service").click();
    new WebDriverWait(driver, WAIT).until(d -> rowIds().get(0).equals(INVOICES)); // billing < frontend
  }

  @Test
  void countsByAnnotationNarrowTheFilterWhenClicked() throws Exception {
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    Select groupBy = new Select(driver.findElement(By.id("group-by")));
    new WebDriverWait(driver, WAIT).until(d -> groupBy.getOptions().stream().anyMatch(o -> o.getText().equals("annotation.customer")));
    groupBy.selectByValue("annotation:customer");
    assertThat(groups()).containsExactly("alice 2", "bob 1");
    groupBy.selectByValue("status");
    assertThat(groups()).containsExactly("200 2", "500 1");
    groupBy.selectByValue("service");
    assertThat(groups()).containsExactly("frontend 2", "billing 1");
    groupBy.selectByValue("annotation:customer");
    driver.findElement(By.cssSelector("#group-list .group[data-value='alice']")).click();
    waitForTraces(ORDERS, INVOICES);
    assertThat(driver.findElement(By.id("filter")).getAttribute("value")).isEqualTo("annotation.customer = \"alice\"");
    assertThat(hash()).contains("filter=annotation.customer%20%3D%20%22alice%22");
    browser.screenshot(Path.of("target/viewer-groups.png"));
  }

  // ------------------------------------------------------------------ 3. the response-time histogram

  @Test
  void draggingOverTheHistogramNarrowsTheList() throws Exception {
    String answer = DaemonApiTestSupport.post(daemon, "/radiograph/histogram",
        "{\"StartTime\":" + (base - 60) + ",\"EndTime\":" + (base + 60) + ",\"Buckets\":10}");
    assertThat(JSON.readValue(answer, Map.class)).containsEntry("Total", 3);

    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#histogram .rt-bar[data-count='1']")).size() == 3);
    assertThat(driver.findElement(By.id("histogram")).getText()).contains("3 traces");
    List<WebElement> filled = driver.findElements(By.cssSelector("#histogram .rt-bar[data-count='1']"));
    // From the 200 ms bar to the 800 ms one.
    new Actions(driver).clickAndHold(filled.get(1)).moveToElement(filled.get(2)).release().perform();
    waitForTraces(CHECKOUT, INVOICES);
    String filter = driver.findElement(By.id("filter")).getAttribute("value");
    assertThat(filter).matches("responsetime >= 0\\.2 AND responsetime <= 0\\.8\\d*");
    browser.screenshot(Path.of("target/viewer-histogram.png"));

    // A second drag replaces the range; the rest of the filter stays.
    browser.open(daemon, "#/traces?range=3600&filter=" + encodeUriComponent("!fault AND " + filter));
    waitForTraces(INVOICES);
    new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#histogram .rt-bar[data-count='1']")).size() == 1);
    WebElement only = driver.findElement(By.cssSelector("#histogram .rt-bar[data-count='1']"));
    new Actions(driver).clickAndHold(only).release().perform();
    new WebDriverWait(driver, WAIT).until(d -> !d.findElement(By.id("filter")).getAttribute("value").equals("!fault AND " + filter));
    assertThat(driver.findElement(By.id("filter")).getAttribute("value")).matches("!fault AND responsetime >= 0\\.[0-9]+ AND responsetime <= 0\\.[0-9]+");
    waitForTraces(INVOICES);
  }

  // ------------------------------------------------------------------ 5. dark mode, UTC

  @Test
  void themeFollowsTheSystemUntilPickedAndIsRemembered() throws Exception {
    browser.open(daemon, "#/traces?range=3600");
    browser.script("localStorage.removeItem('radiograph.theme');");
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    Object systemDark = browser.script("return matchMedia('(prefers-color-scheme: dark)').matches;");
    assertThat(theme()).isEqualTo(Boolean.TRUE.equals(systemDark) ? "dark" : "light");
    new Select(driver.findElement(By.id("theme"))).selectByValue("dark");
    assertThat(theme()).isEqualTo("dark");
    assertThat(browser.script("return getComputedStyle(document.body).backgroundColor;")).isEqualTo("rgb(15, 19, 26)");
    row(ORDERS).click();
    waitForTimelineRows(6);
    browser.screenshot(Path.of("target/viewer-dark.png"));
    browser.open(daemon, "#/traces?range=3600"); // remembered
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    assertThat(theme()).isEqualTo("dark");
    assertThat(new Select(driver.findElement(By.id("theme"))).getFirstSelectedOption().getText()).isEqualTo("Dark");
    new Select(driver.findElement(By.id("theme"))).selectByValue("light");
    assertThat(browser.script("return getComputedStyle(document.body).backgroundColor;")).isEqualTo("rgb(246, 247, 249)");
    new Select(driver.findElement(By.id("theme"))).selectByValue("auto");
    assertThat(theme()).isEqualTo(Boolean.TRUE.equals(systemDark) ? "dark" : "light");
  }

  @Test
  void timesInLocalTimeOrUtc() {
    browser.open(daemon, "#/traces?range=3600");
    browser.script("localStorage.removeItem('radiograph.utc');");
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    java.time.Instant start = java.time.Instant.ofEpochSecond((long) base + 20);
    java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    String local = clock.format(start.atZone(java.time.ZoneId.of(ViewerBrowser.TIME_ZONE)));
    String utc = clock.format(start.atZone(java.time.ZoneOffset.UTC)) + "Z";
    assertThat(timeCell(INVOICES)).endsWith(local);
    driver.findElement(By.id("utc")).click();
    new WebDriverWait(driver, WAIT).until(d -> timeCell(INVOICES).endsWith(utc));
    browser.open(daemon, "#/traces?range=3600"); // remembered
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    assertThat(timeCell(INVOICES)).endsWith(utc);
    driver.findElement(By.id("utc")).click();
    new WebDriverWait(driver, WAIT).until(d -> timeCell(INVOICES).endsWith(local));
  }

  private static String theme() {
    return (String) browser.script("return document.documentElement.dataset.theme;");
  }

  private static String timeCell(String traceId) {
    return (String) browser.script("return document.querySelector(\"#trace-list tr[data-trace-id='\" + arguments[0] + \"'] td.time\").textContent;", traceId);
  }

  // ------------------------------------------------------------------ 4. the service map

  @Test
  void edgeFilterMatchesTracesWithThatCall() throws Exception {
    assertThat(summaryIds("edge(\"frontend\", \"inventory\")")).containsExactly(ORDERS);
    assertThat(summaryIds("edge(\"inventory\", \"stock-query\")")).containsExactly(ORDERS); // a call to an inferred node
    assertThat(summaryIds("edge(\"inventory\", \"frontend\")")).isEmpty();
    assertThat(summaryIds("edge(\"frontend\", \"audit-log\")")).isEmpty(); // a local subsegment is no call
  }

  @Test
  void clickingAnEdgeShowsItsHistogramAndListsItsTraces() throws Exception {
    browser.open(daemon, "#/map?range=3600");
    By edgeLabel = By.cssSelector("#service-map g.edge[data-from-name='frontend'][data-to-name='inventory'] .edge-label");
    new WebDriverWait(driver, WAIT).until(d -> !d.findElements(edgeLabel).isEmpty());
    driver.findElement(edgeLabel).click();
    new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.cssSelector("#map-detail .detail-name")).getText().equals("frontend → inventory"));
    assertThat(driver.findElements(By.cssSelector("#map-detail svg.histogram rect"))).isNotEmpty();
    assertThat(browser.script("return document.getElementById('map-detail').textContent;")).asString().contains("Response time distribution");
    browser.screenshot(Path.of("target/viewer-map-edge.png"));
    driver.findElement(By.cssSelector("#map-detail button.primary")).click();
    waitForTraces(ORDERS);
    assertThat(driver.findElement(By.id("filter")).getAttribute("value")).isEqualTo("edge(\"frontend\", \"inventory\")");
    assertThat(hash()).startsWith("#/traces?filter=edge(").endsWith("&range=3600");
  }

  @Test
  void clickingANodeShowsItsHistogramAndTheRangeAppliesToTheMap() {
    browser.open(daemon, "#/map?range=3600");
    By billing = By.cssSelector("#service-map g.node[data-name='billing']");
    new WebDriverWait(driver, WAIT).until(d -> !d.findElements(billing).isEmpty());
    assertThat(nodeNames()).contains("frontend", "inventory", "billing");
    driver.findElement(billing).click();
    new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.cssSelector("#map-detail .detail-name")).getText().equals("billing"));
    assertThat(driver.findElements(By.cssSelector("#map-detail svg.histogram rect"))).isNotEmpty();

    // A range from the URL holds only the billing trace.
    browser.open(daemon, "#/map?from=" + (long) (base + 15) + "&to=" + (long) (base + 25));
    new WebDriverWait(driver, WAIT).until(d -> nodeNames().equals(List.of("billing")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> nodeNames() {
    return (List<String>) browser.script("return [...document.querySelectorAll('#service-map g.node')].map(g => g.dataset.name);");
  }

  private static List<String> summaryIds(String filter) throws Exception {
    String answer = DaemonApiTestSupport.post(daemon, "/TraceSummaries", JSON.writeValueAsString(Map.of(
        "StartTime", base - 60, "EndTime", base + 60, "FilterExpression", filter)));
    return ((List<Map<String, Object>>) JSON.readValue(answer, Map.class).get("TraceSummaries")).stream()
        .map(summary -> (String) summary.get("Id")).toList();
  }

  // ------------------------------------------------------------------ 2. the trace view

  @Test
  void theCriticalPathIsMarked() throws Exception {
    openOrders();
    // frontend ends last of the roots; its latest-ending child is inventory-call (45 ms, audit-log
    // ends at 2 ms), whose child is the inventory segment, whose latest-ending child is
    // stock-query (40 ms, stock-cache ends at 8 ms): a leaf.
    assertThat(timelineNames(".timeline-row.critical")).containsExactly("frontend", "inventory-call", "inventory", "stock-query");
    assertThat(driver.findElement(By.id("trace-header")).getText()).contains("4 entities");
    browser.screenshot(Path.of("target/viewer-critical-path.png"));
  }

  @Test
  void searchHighlightsRowsAndCollapseAndExpandAll() throws Exception {
    openOrders();
    WebElement search = driver.findElement(By.id("trace-search"));
    search.sendKeys("SKU"); // in stock-query's SQL, case-insensitively
    assertThat(timelineNames(".timeline-row.match")).containsExactly("stock-query");
    assertThat(driver.findElement(By.id("trace-search-count")).getText()).isEqualTo("1 found");
    search.clear();
    search.sendKeys("alice"); // an annotation value
    new WebDriverWait(driver, WAIT).until(d -> timelineNames(".timeline-row.match").equals(List.of("frontend")));
    search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    new WebDriverWait(driver, WAIT).until(d -> timelineNames(".timeline-row.match").isEmpty());

    driver.findElement(By.id("collapse-all")).click();
    assertThat(timelineNames(".timeline-row")).containsExactly("frontend");
    driver.findElement(By.id("expand-all")).click();
    assertThat(timelineNames(".timeline-row")).hasSize(6);
    driver.findElement(By.id("collapse-all")).click();
    search.sendKeys("stock-"); // a search opens what hides its hits
    new WebDriverWait(driver, WAIT).until(d -> timelineNames(".timeline-row.match").equals(List.of("stock-cache", "stock-query")));
    search.sendKeys(Keys.ENTER);
    waitForDetail("stock-cache");
    browser.screenshot(Path.of("target/viewer-trace-search.png"));
  }

  @Test
  void keyboardMovesBetweenRowsOpensAndClosesDetails() {
    openOrders();
    waitForDetail("frontend"); // a trace opens on its root
    keys("j");
    waitForDetail("audit-log");
    keys(Keys.ARROW_DOWN.toString());
    waitForDetail("inventory-call");
    keys("k");
    waitForDetail("audit-log");
    keys(Keys.ESCAPE.toString());
    new WebDriverWait(driver, WAIT).until(d -> !d.findElements(By.cssSelector("#detail > .empty")).isEmpty());
    keys("j"); // with the details closed only the cursor moves
    assertThat(timelineNames(".timeline-row.selected")).containsExactly("inventory-call");
    assertThat(driver.findElements(By.cssSelector("#detail > .empty"))).hasSize(1);
    keys(Keys.ENTER.toString());
    waitForDetail("inventory-call");
    keys("/");
    assertThat(browser.script("return document.activeElement.id;")).isEqualTo("filter");
  }

  @Test
  void downloadGivesBatchGetTracesJsonThatOpensAgain() throws Exception {
    openOrders();
    driver.findElement(By.id("trace-download")).click();
    Path saved = browser.downloads().resolve(ORDERS + ".json");
    new WebDriverWait(driver, WAIT).until(d -> java.nio.file.Files.isRegularFile(saved) && saved.toFile().length() > 0);
    Map<String, Object> batch = JSON.readValue(saved.toFile(), Map.class);
    List<Map<String, Object>> traces = (List<Map<String, Object>>) batch.get("Traces");
    assertThat(traces).hasSize(1);
    assertThat(traces.get(0)).containsEntry("Id", ORDERS).containsKey("Duration");
    List<Map<String, Object>> segments = (List<Map<String, Object>>) traces.get(0).get("Segments");
    assertThat(segments).hasSize(2);
    for (Map<String, Object> segment : segments) {
      Map<String, Object> document = JSON.readValue((String) segment.get("Document"), Map.class); // a JSON text, as the CLI prints
      assertThat(document).containsEntry("id", segment.get("Id")).containsEntry("trace_id", ORDERS);
    }

    // The downloaded file opens with the file picker (the browser's own file chooser input).
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    openWithPicker(saved);
    waitForTimelineRows(6);
    assertThat(driver.findElement(By.cssSelector("#trace-header .trace-id")).getText()).isEqualTo(ORDERS);
  }

  @Test
  void aFileSavedFromAwsXrayOpensByDragAndDrop() throws Exception {
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    dropFile("from-aws.json", awsFile());
    waitForTimelineRows(6);
    assertThat(driver.findElement(By.cssSelector("#trace-header .trace-id")).getText()).isEqualTo(AWS_TRACE);
    // stock-query came as its own document, before its segment: it is nested under inventory.
    assertThat(timelineNames(".timeline-row")).containsExactly("frontend", "fraud-check", "inventory-call", "inventory", "stock-cache", "stock-query");
    assertThat(browser.script("return [...document.querySelectorAll('#timeline .timeline-row')].map(r => r.dataset.depth).join(',');"))
        .isEqualTo("0,1,1,2,3,3");
    browser.screenshot(Path.of("target/viewer-open-file.png"));
  }

  @Test
  void twoTracesSideBySideMarkTheDifferences() throws Exception {
    browser.open(daemon, "#/traces?range=3600");
    waitForTraces(ORDERS, CHECKOUT, INVOICES);
    dropFile("from-aws.json", awsFile());
    waitForTimelineRows(6);
    row(ORDERS).click();
    waitForDetail("frontend");
    new Select(driver.findElement(By.id("compare-with"))).selectByValue(AWS_TRACE);
    new WebDriverWait(driver, WAIT).until(d -> !d.findElements(By.cssSelector("#compare .compare-row")).isEmpty());
    Map<String, String> differences = (Map<String, String>) browser.script("return Object.fromEntries("
        + "[...document.querySelectorAll('#compare .compare-row')].map(r => [r.dataset.name, r.dataset.difference]));");
    assertThat(differences).containsExactlyInAnyOrderEntriesOf(Map.of(
        "frontend", "slower", "inventory-call", "slower", "inventory", "slower", "stock-query", "slower",
        "stock-cache", "same", "audit-log", "only-a", "fraud-check", "only-b"));
    assertThat(driver.findElement(By.id("compare")).getText()).contains(ORDERS).contains(AWS_TRACE).contains("only in B");
    browser.screenshot(Path.of("target/viewer-compare.png"));
    driver.findElement(By.id("compare-close")).click();
    assertThat(driver.findElement(By.id("compare")).isDisplayed()).isFalse();
    waitForTimelineRows(6);
  }

  private static final String AWS_TRACE = "1-6560a000-0000000000000000000000f1";

  /**
   * A trace as the AWS CLI saves it from X-Ray: documents as JSON text, the downstream segment
   * before its caller, and a subsegment that was sent on its own before its segment.
   */
  private static String awsFile() throws Exception {
    double t = base + 30;
    Map<String, Object> query = entity("stock-query", "f000000000000003", t + 0.012, t + 0.100);
    query.put("type", "subsegment");
    query.put("trace_id", AWS_TRACE);
    query.put("parent_id", "f000000000000002");
    query.put("namespace", "remote");
    Map<String, Object> inventory = segment(AWS_TRACE, "inventory", "f000000000000002", t + 0.004, t + 0.110, 200, "http://inventory:9000/stock/1");
    inventory.put("parent_id", "f000000000000005");
    inventory.put("subsegments", List.of(entity("stock-cache", "f000000000000004", t + 0.005, t + 0.008)));
    Map<String, Object> call = entity("inventory-call", "f000000000000005", t + 0.003, t + 0.115);
    Map<String, Object> frontend = segment(AWS_TRACE, "frontend", "f000000000000001", t, t + 0.120, 200, "http://localhost:8080/orders/1");
    frontend.put("subsegments", List.of(entity("fraud-check", "f000000000000006", t + 0.001, t + 0.002), call));
    List<Map<String, Object>> segments = new ArrayList<>();
    for (Map<String, Object> document : List.of(query, inventory, frontend)) {
      segments.add(Map.of("Id", document.get("id"), "Document", JSON.writeValueAsString(document)));
    }
    return JSON.writeValueAsString(Map.of("Traces", List.of(Map.of("Id", AWS_TRACE, "Duration", 0.12, "LimitExceeded", false, "Segments", segments)),
        "UnprocessedTraceIds", List.of()));
  }

  private static void openOrders() {
    browser.open(daemon, "#/traces/" + ORDERS + "?range=3600");
    waitForTimelineRows(6);
  }

  private static void openWithPicker(Path file) {
    WebElement input = driver.findElement(By.id("trace-file"));
    browser.script("arguments[0].hidden = false;", input); // chromedriver types only into a shown input
    input.sendKeys(file.toAbsolutePath().toString());
  }

  /** Drops a file with `text` on the trace view as a user dragging it from the desktop would. */
  private static void dropFile(String name, String text) {
    browser.script("const data = new DataTransfer();"
        + "data.items.add(new File([arguments[1]], arguments[0], {type: 'application/json'}));"
        + "const view = document.getElementById('view-traces');"
        + "view.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));"
        + "view.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));", name, text);
  }

  private static void keys(CharSequence keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  @SuppressWarnings("unchecked")
  private static List<String> timelineNames(String rowSelector) {
    return (List<String>) browser.script("return [...document.querySelectorAll('#timeline " + rowSelector + "')]"
        + ".map(r => r.querySelector('.entity-name').textContent);");
  }

  private static void waitForTimelineRows(int count) {
    new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#timeline .timeline-row")).size() == count);
  }

  private static void waitForDetail(String name) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.cssSelector("#detail .detail-name"), name));
  }

  // ------------------------------------------------------------------ helpers

  /** What JavaScript's encodeURIComponent gives (the viewer writes the filter with it). */
  private static String encodeUriComponent(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%28", "(").replace("%29", ")").replace("%21", "!").replace("%27", "'").replace("%7E", "~");
  }

  private static String hash() {
    return (String) browser.script("return location.hash;");
  }

  private static WebElement sortButton(String key) {
    return driver.findElement(By.cssSelector(".trace-table thead button[data-sort='" + key + "']"));
  }

  @SuppressWarnings("unchecked")
  private static List<String> groups() {
    return (List<String>) browser.script("return [...document.querySelectorAll('#group-list .group')]"
        + ".map(g => g.querySelector('.group-value').textContent + ' ' + g.querySelector('.group-count').textContent);");
  }

  private static List<String> rowIds() {
    return browser.rowIds();
  }

  private static void waitForTraces(String... traceIds) {
    browser.waitForTraces(WAIT, traceIds);
  }

  private static WebElement row(String traceId) {
    return driver.findElement(By.cssSelector("#trace-list tr.trace-row[data-trace-id='" + traceId + "']"));
  }
}

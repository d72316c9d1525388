package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.SettingKey;
import dev.radiograph.spring.ReceivedTraces.Entity;
import dev.radiograph.spring.inventory.InventoryApplication;
import dev.radiograph.spring.shop.ShopApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two real Spring Boot applications with the starter, on random ports: the shop (PostgreSQL with
 * Flyway migrations, Thymeleaf, a RestClient, a runner and a scheduled job, started with
 * {@code AWS_XRAY_CONTEXT_MISSING=RUNTIME_ERROR}) and the inventory it calls. Real HTTP
 * requests; assertions on the documents a real UDP socket received.
 */
class ShopScenarioTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static UdpDaemon daemon;
  private static ReceivedTraces traces;
  private static ConfigurableApplicationContext inventory;
  private static ConfigurableApplicationContext shop;
  private static OfficialSdkService partner;

  @BeforeAll
  static void start() throws Exception {
    daemon = new UdpDaemon();
    traces = new ReceivedTraces(daemon);
    String jdbcUrl = TestPostgres.jdbcUrl();
    inventory = TestApplications.start(InventoryApplication.class, Map.of(),
        "radiograph.tracing-name=inventory",
        "radiograph.daemon-address=" + daemon.address(),
        "radiograph.sampling=false",
        "radiograph.sampling-rules=classpath:inventory-rules.json",
        "management.endpoints.web.exposure.include=health");
    partner = new OfficialSdkService("partner", daemon.address());
    shop = TestApplications.start(ShopApplication.class, Map.of("AWS_XRAY_CONTEXT_MISSING", "RUNTIME_ERROR"),
        "spring.application.name=shop",
        "radiograph.daemon-address=" + daemon.address(),
        "radiograph.sampling=false",
        "spring.datasource.url=" + jdbcUrl,
        "spring.datasource.username=postgres",
        "inventory.url=http://127.0.0.1:" + TestApplications.port(inventory),
        "partner.url=" + partner.base(),
        "management.endpoints.web.exposure.include=health");
  }

  @AfterAll
  static void stop() throws Exception {
    TestApplications.stop(shop);
    partner.close();
    TestApplications.stop(inventory);
    daemon.close();
  }

  @Test
  void startupWorkIsTracedInAStartupSegmentEvenUnderRuntimeError() {
    Recorder recorder = shop.getBean(Recorder.class);
    assertThat(recorder.config().contextMissing()).isEqualTo(ContextMissingStrategy.RUNTIME_ERROR);

    JsonNode startup = traces.awaitSegment(d -> d.get("name").asText().equals("shop")
        && d.at("/annotations/startup").asBoolean());
    assertThat(startup.has("in_progress")).isFalse();
    assertThat(startup.has("fault")).isFalse();
    List<Entity> sql = traces.entities(startup.get("trace_id").asText()).stream()
        .filter(e -> e.json().has("sql")).toList();
    assertThat(sql).allSatisfy(e -> {
      assertThat(e.name()).isEqualTo("postgres@localhost");
      assertThat(e.json().get("namespace").asText()).isEqualTo("remote");
      assertThat(e.json().at("/sql/sanitized_query").asText()).doesNotContain("alice");
    });
    assertThat(sql).extracting(e -> e.json().at("/sql/sanitized_query").asText())
        .anySatisfy(q -> assertThat(q).contains("CREATE TABLE orders"))
        .anySatisfy(q -> assertThat(q).startsWith("INSERT INTO orders (id, customer, total, status) VALUES")
            .contains("(?, ?, ?, ?)"))
        .contains("SELECT count(*) FROM orders WHERE status <> ?");
  }

  @Test
  void aPageRequestIsOneSegmentWithItsSqlAndItsTemplate() throws Exception {
    HttpResponse<String> response = get(shop, "/orders");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("alice: 42.50").contains("bob: 7.25");
    assertThat(response.headers().firstValue("X-Segment-Before-App-Filter")).hasValue("true");
    String traceId = rootOf(response);

    JsonNode segment = traces.awaitSegment(traceId, "shop");
    assertThat(traces.segments(traceId, Duration.ofMillis(100))).as("segments of the trace").hasSize(1);
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo(base(shop) + "/orders");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/annotations/open_orders").asInt()).isEqualTo(2);
    assertThat(segment.at("/annotations/alice_orders").asInt()).isEqualTo(2);

    List<JsonNode> subsegments = list(segment.get("subsegments"));
    assertThat(subsegments).extracting(s -> s.get("name").asText())
        .containsExactly("postgres@localhost", "postgres@localhost", "orders");
    JsonNode prepared = subsegments.get(0);
    assertThat(prepared.at("/sql/sanitized_query").asText())
        .isEqualTo("SELECT id, customer, total FROM orders WHERE status = ? ORDER BY id");
    assertThat(prepared.at("/sql/preparation").asText()).isEqualTo("statement");
    assertThat(prepared.at("/sql/database_type").asText()).isEqualTo("PostgreSQL");
    assertThat(prepared.at("/sql/database_version").asText()).startsWith("14.");
    assertThat(prepared.at("/sql/driver_version").asText()).isEqualTo("42.7.14");
    assertThat(prepared.at("/sql/user").asText()).isEqualTo("postgres");
    assertThat(prepared.at("/sql/url").asText()).matches("jdbc:postgresql://localhost:\\d+/postgres\\?user=postgres");
    JsonNode plain = subsegments.get(1);
    assertThat(plain.at("/sql/sanitized_query").asText())
        .isEqualTo("SELECT count(*) FROM orders WHERE customer = ? AND total > ?");
    assertThat(plain.at("/sql/preparation").isMissingNode()).isTrue();
    JsonNode template = subsegments.get(2);
    assertThat(template.at("/metadata/template/view").asText()).isEqualTo("org.thymeleaf.spring6.view.ThymeleafView");
    assertThat(template.get("start_time").asDouble()).isGreaterThanOrEqualTo(plain.get("end_time").asDouble());
  }

  @Test
  void aRestClientCallReachesTheSecondServiceInTheSameTrace() throws Exception {
    HttpResponse<String> response = get(shop, "/stock/sku-7");
    assertThat(response.body()).isEqualTo("shop sees sku-7:12");
    String traceId = rootOf(response);

    JsonNode shopSegment = traces.awaitSegment(traceId, "shop");
    JsonNode call = list(shopSegment.get("subsegments")).get(0);
    assertThat(call.get("name").asText()).isEqualTo("127.0.0.1");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(call.at("/http/request/url").asText()).isEqualTo(base(inventory) + "/stock/sku-7");
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);

    JsonNode inventorySegment = traces.awaitSegment(traceId, "inventory");
    assertThat(inventorySegment.get("parent_id").asText()).isEqualTo(call.get("id").asText());
    assertThat(inventorySegment.at("/annotations/sku").asText()).isEqualTo("sku-7");
  }

  @Test
  void theOfficialSdksServletFilterAndTheStarterShareTracesBothWays() throws Exception {
    // Official SDK first: its subsegment is the parent of the shop's segment.
    HttpResponse<String> viaOfficial = HTTP.send(HttpRequest.newBuilder(URI.create(
        partner.base() + "/call?url=" + base(shop) + "/orders")).build(), HttpResponse.BodyHandlers.ofString());
    String callId = viaOfficial.body().split(" ")[1];
    assertThat(viaOfficial.body()).startsWith("200 ");
    String traceId = rootOf(viaOfficial);
    JsonNode official = traces.awaitSegment(traceId, "partner");
    assertThat(list(official.get("subsegments"))).extracting(s -> s.get("id").asText()).containsExactly(callId);
    JsonNode shopSegment = traces.awaitSegment(traceId, "shop");
    assertThat(shopSegment.get("parent_id").asText()).isEqualTo(callId);

    // The starter first: its RestClient subsegment is the parent of the official SDK's segment.
    HttpResponse<String> viaShop = get(shop, "/partner");
    assertThat(viaShop.body()).isEqualTo("hello from the official SDK");
    String secondTrace = rootOf(viaShop);
    JsonNode call = list(traces.awaitSegment(secondTrace, "shop").get("subsegments")).get(0);
    JsonNode downstream = traces.awaitSegment(secondTrace, "partner");
    assertThat(downstream.get("parent_id").asText()).isEqualTo(call.get("id").asText());
    assertThat(downstream.at("/http/response/status").asInt()).isEqualTo(200);
  }

  @Test
  void requestsThatSpringSecurityRejectsAreTracedToo() throws Exception {
    HttpResponse<String> rejected = get(shop, "/admin/report");
    assertThat(rejected.statusCode()).isEqualTo(401);
    JsonNode segment = traces.awaitSegment(rootOf(rejected), "shop");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(401);
    assertThat(segment.get("error").asBoolean()).isTrue();

    HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(URI.create(base(shop) + "/admin/report"))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:secret".getBytes(
            java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.body()).isEqualTo("for admins");
    assertThat(traces.awaitSegment(rootOf(allowed), "shop").at("/http/response/status").asInt()).isEqualTo(200);
  }

  @Test
  void statusesAreMappedAndExceptionsRecorded() throws Exception {
    JsonNode missing = traces.awaitSegment(rootOf(get(shop, "/missing")), "shop");
    assertThat(missing.get("error").asBoolean()).isTrue();
    assertThat(missing.has("fault") || missing.has("throttle")).isFalse();

    JsonNode busy = traces.awaitSegment(rootOf(get(shop, "/busy")), "shop");
    assertThat(busy.get("throttle").asBoolean()).isTrue();
    assertThat(busy.get("error").asBoolean()).isTrue();

    HttpResponse<String> failed = get(shop, "/fail");
    assertThat(failed.statusCode()).isEqualTo(500);
    JsonNode fault = traces.awaitSegment(rootOf(failed), "shop");
    assertThat(fault.get("fault").asBoolean()).isTrue();
    assertThat(fault.at("/http/response/status").asInt()).isEqualTo(500);
    assertThat(list(fault.at("/cause/exceptions"))).anySatisfy(e -> {
      assertThat(e.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
      assertThat(e.get("message").asText()).isEqualTo("payment service down");
    });
  }

  @Test
  void anAsyncControllerEndsItsSegmentWhenItsCallableCompletes() throws Exception {
    HttpResponse<String> response = get(shop, "/report");
    assertThat(response.body()).isEqualTo("orders: 3");
    JsonNode segment = traces.awaitSegment(rootOf(response), "shop");
    assertThat(segment.at("/annotations/report_thread").asText()).isNotBlank();
    assertThat(list(segment.get("subsegments"))).singleElement()
        .satisfies(s -> assertThat(s.at("/sql/sanitized_query").asText()).isEqualTo("SELECT count(*) FROM orders"));
  }

  @Test
  void eachScheduledRunIsItsOwnSegment() {
    JsonNode run = traces.awaitSegment(d -> d.get("name").asText().equals("shop")
        && d.at("/annotations/scheduled_task").asText().equals("Reconciliation.reconcile"));
    assertThat(run.has("parent_id")).isFalse();
    assertThat(list(run.get("subsegments"))).singleElement().satisfies(s ->
        assertThat(s.at("/sql/sanitized_query").asText()).isEqualTo("SELECT sum(total) FROM orders WHERE status = ?"));
  }

  @Test
  void healthChecksAreNotTracedUnlessARuleOfTheUsersSaysSo() throws Exception {
    HttpResponse<String> shopHealth = get(shop, "/actuator/health");
    assertThat(shopHealth.statusCode()).isEqualTo(200);
    HttpResponse<String> inventoryHealth = get(inventory, "/actuator/health");
    assertThat(inventoryHealth.statusCode()).isEqualTo(200);

    traces.awaitSegment(rootOf(inventoryHealth), "inventory"); // the user's rule wins there
    assertThat(traces.segments(rootOf(shopHealth), Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void theRecorderBeanIsTheGlobalOneAndTheDataSourceKeepsItsType() {
    Recorder recorder = shop.getBean(Recorder.class);
    assertThat(Radiograph.recorder()).isSameAs(recorder);
    assertThat(recorder.tracingName()).isEqualTo("shop");
    assertThat(recorder.config().sourceOf(SettingKey.TRACING_NAME)).isEqualTo("application setting radiograph.tracing-name");
    DataSource dataSource = shop.getBean(DataSource.class);
    assertThat(dataSource).isInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
    assertThat(AopUtils.isAopProxy(dataSource)).isTrue();
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base(app) + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String base(ConfigurableApplicationContext app) {
    return "http://127.0.0.1:" + TestApplications.port(app);
  }

  private static String rootOf(HttpResponse<?> response) {
    return TraceHeader.parse(response.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow()).root().toString();
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }
}

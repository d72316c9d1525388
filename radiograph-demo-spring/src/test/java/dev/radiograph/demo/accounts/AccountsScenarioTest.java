package dev.radiograph.demo.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceTree;
import dev.radiograph.UdpDaemon;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The accounts service as {@code ./radiograph demo} runs it: its own embedded PostgreSQL migrated
 * by Flyway, a random port on 127.0.0.1 written to a port file, and nothing but the starter for
 * tracing. Real HTTP requests; a real JDK HttpServer as the catalog; assertions on the documents
 * a real UDP socket received.
 */
@Timeout(180)
class AccountsScenarioTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, String> PRODUCTS = Map.of("sku-1", "Lead apron", "sku-3", "Light box",
      "sku-7", "Contrast dye");

  @TempDir
  static Path dir;

  private static UdpDaemon daemon;
  private static HttpServer catalog;
  private static final Map<String, String> catalogTraceHeaders = new ConcurrentHashMap<>(); // path -> header
  private static Path portFile;
  private static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() throws IOException {
    daemon = new UdpDaemon();
    catalog = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    catalog.createContext("/products/", AccountsScenarioTest::product);
    catalog.start();
    portFile = dir.resolve("accounts.port");
    // The arguments ./radiograph demo gives (but sampling everything and failing never).
    app = new SpringApplicationBuilder(AccountsApplication.class).run(
        "--server.port=0",
        "--radiograph.daemon-address=" + daemon.address(),
        "--radiograph.sampling=false",
        "--demo.failure-rate=0",
        "--demo.port-file=" + portFile,
        "--logging.level.root=WARN");
  }

  @AfterAll
  static void stop() throws IOException {
    int postgresPort = app != null ? app.getBean(EmbeddedPostgres.class).getPort() : -1;
    if (app != null) {
      SpringApplication.exit(app);
    }
    if (catalog != null) {
      catalog.stop(0);
    }
    if (daemon != null) {
      daemon.close();
    }
    if (postgresPort > 0) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", postgresPort).close())
          .as("PostgreSQL stops with the application").isInstanceOf(IOException.class);
    }
  }

  @Test
  void theMigrationsRunInTheStartupSegment() {
    JsonNode startup = awaitSegment(d -> d.get("name").asText().equals("accounts")
        && d.at("/annotations/startup").asBoolean());
    assertThat(startup.has("fault")).isFalse();
    assertThat(startup.has("in_progress")).isFalse();

    List<JsonNode> sql = withSql(tree(startup.get("trace_id").asText()));
    assertThat(sql).isNotEmpty().allSatisfy(s -> {
      assertThat(s.get("name").asText()).isEqualTo("postgres@localhost");
      assertThat(s.get("namespace").asText()).isEqualTo("remote");
      assertThat(s.at("/sql/database_type").asText()).isEqualTo("PostgreSQL");
    });
    assertThat(queries(sql))
        .anySatisfy(q -> assertThat(q).contains("CREATE TABLE customers"))
        .anySatisfy(q -> assertThat(q).contains("CREATE TABLE orders"))
        .anySatisfy(q -> assertThat(q).contains("INSERT INTO customers (name, display_name, member_since) VALUES")
            .contains("(?, ?, DATE ?)"))
        .anySatisfy(q -> assertThat(q).contains("flyway_schema_history"))
        .allSatisfy(q -> assertThat(q).doesNotContain("alice").doesNotContain("Alice Moreau"));
  }

  @Test
  void anOrderIsOneSegmentWithItsPreparedStatements() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/accounts/alice/orders?sku=sku-3"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).matches(".*/accounts/alice/orders/\\d+"));
    String traceId = rootOf(response);

    JsonNode segment = awaitSegment(traceId);
    assertThat(segment.get("name").asText()).isEqualTo("accounts");
    assertThat(segment.has("parent_id")).isFalse();
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("POST");
    assertThat(segment.at("/http/request/url").asText()).startsWith(base() + "/accounts/alice/orders");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(201);
    assertThat(segment.at("/annotations/customer").asText()).isEqualTo("alice");
    assertThat(segment.get("user").asText()).isEqualTo("alice");

    List<JsonNode> subsegments = list(segment.get("subsegments"));
    assertThat(subsegments).extracting(s -> s.get("name").asText())
        .containsExactly("postgres@localhost", "postgres@localhost");
    assertThat(queries(subsegments)).containsExactly(
        "SELECT id, name, display_name, member_since FROM customers WHERE name = ?",
        "INSERT INTO orders (customer_id, sku) VALUES (?, ?) RETURNING id");
    assertThat(subsegments).allSatisfy(s -> {
      assertThat(s.at("/sql/preparation").asText()).isEqualTo("statement");
      assertThat(s.at("/sql/user").asText()).isEqualTo("postgres");
      assertThat(s.at("/sql/url").asText()).startsWith("jdbc:postgresql://localhost:");
    });
  }

  @Test
  void theAccountPageHasItsSqlTheCatalogCallsAndItsTemplate() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/accounts/carol/orders?sku=sku-3"))
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(201);
    String catalogUrl = "http://127.0.0.1:" + catalog.getAddress().getPort();

    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/accounts/carol"))
        .header(CatalogNames.HEADER, catalogUrl));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("Carol Lindqvist", "Light box", "sku-3", "Contrast dye", "sku-7");
    String traceId = rootOf(page);

    JsonNode segment = awaitSegment(traceId);
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo(base() + "/accounts/carol");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    List<JsonNode> subsegments = list(segment.get("subsegments"));
    assertThat(subsegments).extracting(s -> s.get("name").asText()).containsExactly(
        "postgres@localhost", "postgres@localhost", "postgres@localhost", "127.0.0.1", "127.0.0.1", "account");
    assertThat(queries(subsegments.subList(0, 3))).containsExactly(
        "SELECT id, name, display_name, member_since FROM customers WHERE name = ?",
        "SELECT id, sku, placed_at FROM orders WHERE customer_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?",
        "SELECT count(*) FROM orders WHERE customer_id = ?");

    // Newest order first: sku-3 (just placed), then sku-7 (seeded 90 days ago).
    JsonNode call = subsegments.get(3);
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(call.at("/http/request/url").asText()).isEqualTo(catalogUrl + "/products/sku-3/name");
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
    TraceHeader sent = TraceHeader.parse(catalogTraceHeaders.get("/products/sku-3/name"));
    assertThat(sent.root().toString()).isEqualTo(traceId);
    assertThat(sent.parentId()).isEqualTo(call.get("id").asText());
    assertThat(subsegments.get(4).at("/http/request/url").asText()).isEqualTo(catalogUrl + "/products/sku-7/name");

    JsonNode template = subsegments.get(5);
    assertThat(template.at("/metadata/template/view").asText()).isEqualTo("org.thymeleaf.spring6.view.ThymeleafView");
    assertThat(template.get("start_time").asDouble()).isGreaterThanOrEqualTo(subsegments.get(4).get("end_time").asDouble());
  }

  @Test
  void withoutACatalogThePageRendersWithoutProductNames() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/accounts/bob")));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Bob Okafor", "sku-2").doesNotContain("class=\"product\"");
    JsonNode segment = awaitSegment(rootOf(page));
    assertThat(list(segment.get("subsegments"))).extracting(s -> s.get("name").asText())
        .containsExactly("postgres@localhost", "postgres@localhost", "postgres@localhost", "account");
  }

  @Test
  void aCatalogThatIsDownIsAFailedCallAndThePageStillRenders() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/accounts/dave"))
        .header(CatalogNames.HEADER, "http://127.0.0.1:" + closedPort));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Dave Ishikawa", "sku-1");

    JsonNode segment = awaitSegment(rootOf(page));
    assertThat(segment.has("fault")).isFalse();
    List<JsonNode> calls = list(segment.get("subsegments")).stream()
        .filter(s -> s.get("name").asText().equals("127.0.0.1")).toList();
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.get("fault").asBoolean()).isTrue();
      assertThat(list(call.at("/cause/exceptions"))).isNotEmpty();
    });
  }

  @Test
  void anUnknownCustomerGetsANotFoundPage() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/accounts/zoe")));
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("No such customer", "zoe");
    JsonNode segment = awaitSegment(rootOf(page));
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.has("fault")).isFalse();
    assertThat(list(segment.get("subsegments"))).extracting(s -> s.get("name").asText())
        .containsExactly("postgres@localhost", "unknown-customer");

    HttpResponse<String> order = send(HttpRequest.newBuilder(uri("/accounts/zoe/orders?sku=sku-1"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(order.statusCode()).isEqualTo(404);
  }

  @Test
  void thePortFileTellsWhereTheServiceListensAndHealthIsNotTraced() throws Exception {
    assertThat(Files.readString(portFile).trim()).isEqualTo(String.valueOf(port()));
    assertThat(app.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");

    HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health")));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"UP\"");
    String traceId = rootOf(health);
    daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(500));
    assertThat(documents()).noneMatch(d -> d.get("trace_id").asText().equals(traceId));
  }

  // --- the stand-in catalog

  private static void product(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    catalogTraceHeaders.put(path, String.valueOf(exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME)));
    String[] parts = path.split("/"); // "", "products", sku, "name"
    String name = parts.length == 4 && parts[3].equals("name") ? PRODUCTS.get(parts[2]) : null;
    byte[] body = (name != null ? name : "no such product").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(name != null ? 200 : 404, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  // --- requests

  private static int port() {
    return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
  }

  private static String base() {
    return "http://127.0.0.1:" + port();
  }

  private static URI uri(String path) {
    return URI.create(base() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String rootOf(HttpResponse<?> response) {
    String header = response.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow();
    return TraceHeader.parse(header).root().toString();
  }

  // --- what the daemon received

  private static List<JsonNode> documents() throws IOException {
    return daemon.documents();
  }

  /** The first segment document that {@code matches}, waiting up to 15 seconds for it. */
  private static JsonNode awaitSegment(Predicate<JsonNode> matches) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    try {
      while (System.nanoTime() < deadline) {
        for (JsonNode document : documents()) {
          if (!document.has("type") && matches.test(document)) {
            return document;
          }
        }
        daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(200));
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return fail("no matching segment arrived");
  }

  private static JsonNode awaitSegment(String traceId) {
    return awaitSegment(d -> d.get("trace_id").asText().equals(traceId));
  }

  /** Every entity of {@code traceId} received, subsegments sent on their own included. */
  private static TraceTree tree(String traceId) {
    try {
      daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(300));
      return TraceTree.of(documents().stream().filter(d -> d.get("trace_id").asText().equals(traceId)).toList());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<JsonNode> withSql(TraceTree tree) {
    return tree.byId.values().stream().filter(e -> e.has("sql")).toList();
  }

  private static List<String> queries(List<JsonNode> entities) {
    return entities.stream().map(e -> e.at("/sql/sanitized_query").asText()).toList();
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    if (array != null) {
      array.forEach(list::add);
    }
    return list;
  }
}

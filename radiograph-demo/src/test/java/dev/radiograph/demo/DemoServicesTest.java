package dev.radiograph.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.TraceHeader;
import dev.radiograph.daemon.Daemon;
import dev.radiograph.daemon.DaemonConfig;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's services (a Vert.x gateway, JDK HttpServer services traced with core, a Javalin
 * catalog), each with its own recorder, produce one trace per checkout across all of them in a
 * real daemon, and the daemon's service graph links them.
 */
@Timeout(120)
class DemoServicesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aCheckoutThroughTheGatewayIsOneTraceAcrossEveryService(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"version\":2,\"rules\":[{\"description\":\"health\",\"host\":\"*\","
        + "\"http_method\":\"*\",\"url_path\":\"/health\",\"fixed_target\":0,\"rate\":0.0}],"
        + "\"default\":{\"fixed_target\":0,\"rate\":1.0}}");
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .rulesFile(rules.toString()).build());
        DemoServices services = new DemoServices("tcp:127.0.0.1:" + daemon.httpPort() + " udp:127.0.0.1:" + daemon.udpPort())) {
      // Random traffic (every SKU, some failing) through the gateway, as the demo sends it.
      DemoTraffic traffic = new DemoTraffic(services.gateway(), 1);
      traffic.close(); // this test drives the requests itself
      int answered = 0;
      for (int i = 0; i < 30; i++) {
        if (traffic.checkout() > 0) {
          answered++;
        }
      }
      assertThat(answered).isEqualTo(30);

      // Checkouts of a product that exists, until one has come back whole from every service.
      // The gateway answers with the trace id; the first requests may be decided by the local
      // default rule, before the recorders have the daemon's rules, and some fail on purpose.
      JsonNode complete = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> ok = new ArrayList<>();
      for (int round = 0; complete == null && System.nanoTime() < deadline && round < 10; round++) {
        for (int i = 0; i < 10; i++) {
          HttpResponse<String> response = get(services.gateway().resolve("/checkout?customer=alice&sku=sku-2"));
          String header = response.headers().firstValue(TraceHeader.HEADER_NAME).orElse(null);
          assertThat(header).as("the gateway's X-Amzn-Trace-Id").isNotNull();
          if (response.statusCode() == 200) {
            ok.add(TraceHeader.parse(header).root().toString());
          }
        }
        complete = firstComplete(daemon, ok, Math.min(deadline, System.nanoTime() + Duration.ofSeconds(3).toNanos()));
      }
      assertThat(complete).as("a trace with segments from every service, among %s", ok).isNotNull();
      assertLinked(complete);

      // The service graph: one node per service, an edge per caller and callee.
      Map<String, Set<String>> edges = serviceGraph(daemon);
      assertThat(edges.keySet()).contains("gateway", "storefront", "catalog", "orders", "inventory", "postgres@orders-db");
      assertThat(edges.get("gateway")).contains("storefront");
      assertThat(edges.get("storefront")).contains("catalog", "orders", "inventory");
      assertThat(edges.get("orders")).contains("inventory", "postgres@orders-db", OrderEvents.QUEUE_NAME);
      assertThat(edges.get(OrderEvents.QUEUE_NAME)).containsExactly("order-worker");

      // The viewer's searches find the traces through the new services, entered at the gateway.
      JsonNode summaries = post(daemon, "/TraceSummaries", "{\"StartTime\":" + (now() - 300) + ",\"EndTime\":" + (now() + 60)
          + ",\"FilterExpression\":\"service(\\\"gateway\\\") and service(\\\"catalog\\\")\"}");
      assertThat(summaries.get("TraceSummaries").size()).isPositive();
      assertThat(summaries.at("/TraceSummaries/0/EntryPoint/Name").asText()).isEqualTo("gateway");
    }
  }

  /**
   * With an accounts service (here a stand-in on the JDK's HttpServer that records what it is
   * asked; radiograph-demo-spring's tests cover the real one), each checkout records its order
   * there from {@code orders}, in the checkout's trace, and the gateway serves account pages from
   * it, naming the catalog, which answers product names.
   */
  @Test
  void withAnAccountsServiceOrdersAreRecordedThereAndTheGatewayServesAccountPages(@TempDir Path dir)
      throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":0,\"rate\":1.0}}");
    List<Map<String, String>> received = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpServer accounts = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    accounts.createContext("/accounts/", exchange -> {
      Map<String, String> request = new HashMap<>();
      request.put("method", exchange.getRequestMethod());
      request.put("uri", exchange.getRequestURI().toString());
      request.put("trace", String.valueOf(exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME)));
      request.put("catalog", String.valueOf(exchange.getRequestHeaders().getFirst("X-Catalog-Url")));
      received.add(request);
      boolean known = exchange.getRequestURI().getPath().startsWith("/accounts/alice");
      int status = !known ? 404 : exchange.getRequestMethod().equals("POST") ? 201 : 200;
      byte[] body = (known ? "<h1>Alice</h1>" : "no such customer").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    accounts.start();
    URI accountsUri = URI.create("http://127.0.0.1:" + accounts.getAddress().getPort());
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .rulesFile(rules.toString()).build());
        DemoServices services = new DemoServices(
            "tcp:127.0.0.1:" + daemon.httpPort() + " udp:127.0.0.1:" + daemon.udpPort(), accountsUri)) {
      assertThat(services.accounts()).isEqualTo(accountsUri);

      // A checkout that went through (some fail on purpose before reaching orders) recorded its order.
      String checkoutTrace = succeededCheckout(services, "alice", "sku-2");
      assertThat(received).anySatisfy(r -> {
        assertThat(r.get("method")).isEqualTo("POST");
        assertThat(r.get("uri")).isEqualTo("/accounts/alice/orders?sku=sku-2");
        assertThat(TraceHeader.parse(r.get("trace")).root().toString()).isEqualTo(checkoutTrace);
      });

      // An order for a customer the accounts service does not know is refused by orders.
      int unknown = -1;
      for (int i = 0; i < 30 && unknown != 404; i++) {
        unknown = get(services.gateway().resolve("/checkout?customer=mallory&sku=sku-2")).statusCode();
      }
      assertThat(unknown).isEqualTo(404);

      // An account page through the gateway, which names the catalog.
      received.clear();
      HttpResponse<String> page = get(services.gateway().resolve("/account/alice"));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).isEqualTo("<h1>Alice</h1>");
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      String pageTrace = TraceHeader.parse(page.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow())
          .root().toString();
      assertThat(received).singleElement().satisfies(r -> {
        assertThat(r.get("method")).isEqualTo("GET");
        assertThat(r.get("uri")).isEqualTo("/accounts/alice");
        assertThat(r.get("catalog")).isEqualTo(services.catalog().toString());
        assertThat(TraceHeader.parse(r.get("trace")).root().toString()).isEqualTo(pageTrace);
      });
      assertThat(get(services.gateway().resolve("/account/mallory")).statusCode()).isEqualTo(404);

      // The catalog names products for the accounts pages.
      HttpResponse<String> name = get(services.catalog().resolve("/products/sku-2/name"));
      assertThat(name.statusCode()).isEqualTo(200);
      assertThat(name.body()).isEqualTo("Film cassette");
      assertThat(get(services.catalog().resolve("/products/sku-404/name")).statusCode()).isEqualTo(404);

      // The traffic generator's account pages go through the gateway too.
      DemoTraffic traffic = new DemoTraffic(services.gateway(), 1, true);
      traffic.close(); // driven by hand
      assertThat(traffic.accountPage()).isIn(200, 404);

      // In the daemon: orders called accounts, the gateway called it for the page.
      Map<String, Set<String>> edges = Map.of();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && !edges.getOrDefault("orders", Set.of()).contains("accounts")) {
        Thread.sleep(200);
        edges = serviceGraph(daemon);
      }
      assertThat(edges.get("orders")).contains("accounts", "inventory");
    } finally {
      accounts.stop(0);
    }
  }

  /**
   * The segments of a checkout link up: gateway (the root) → storefront → catalog, inventory and
   * orders → inventory, each callee's {@code parent_id} the id of its caller's call subsegment.
   */
  private static void assertLinked(JsonNode trace) {
    Map<String, List<JsonNode>> byName = new HashMap<>();
    Map<String, JsonNode> entities = new HashMap<>(); // id -> segment or subsegment
    Map<String, String> ownerOf = new HashMap<>(); // entity id -> its segment's name
    for (JsonNode segment : trace.get("Segments")) {
      JsonNode document = readTree(segment.get("Document").asText());
      byName.computeIfAbsent(document.get("name").asText(), k -> new ArrayList<>()).add(document);
      index(document, document.get("name").asText(), entities, ownerOf);
    }
    assertThat(byName.keySet())
        .containsExactlyInAnyOrder("gateway", "storefront", "catalog", "orders", "inventory", "order-worker");
    assertThat(byName.get("inventory")).as("inventory: asked by the storefront and by orders").hasSize(2);

    JsonNode gateway = byName.get("gateway").get(0);
    assertThat(gateway.has("parent_id")).as("the gateway is the trace's root").isFalse();
    assertThat(callerOf(byName.get("storefront").get(0), entities, ownerOf)).isEqualTo("gateway");
    assertThat(callerOf(byName.get("catalog").get(0), entities, ownerOf)).isEqualTo("storefront");
    assertThat(callerOf(byName.get("orders").get(0), entities, ownerOf)).isEqualTo("storefront");
    Set<String> inventoryCallers = new HashSet<>();
    for (JsonNode inventory : byName.get("inventory")) {
      inventoryCallers.add(callerOf(inventory, entities, ownerOf));
    }
    assertThat(inventoryCallers).containsExactlyInAnyOrder("storefront", "orders");

    // The order-worker continued the trace from the message orders sent to the SQS queue.
    JsonNode worker = byName.get("order-worker").get(0);
    assertThat(callerOf(worker, entities, ownerOf)).isEqualTo("orders");
    JsonNode send = entities.get(worker.get("parent_id").asText());
    assertThat(send.get("name").asText()).isEqualTo("Sqs");
    assertThat(send.get("namespace").asText()).isEqualTo("aws");
    assertThat(send.at("/aws/operation").asText()).isEqualTo("SendMessage");
    assertThat(send.at("/aws/queue_url").asText()).endsWith("/" + OrderEvents.QUEUE_NAME);
    assertThat(send.at("/aws/message_id").asText()).isNotEmpty();
    assertThat(names(worker)).contains("send-confirmation", "Sqs"); // its DeleteMessage call

    // The calls are remote subsegments; the catalog rendered its template; orders wrote to its database.
    JsonNode gatewayCall = entities.get(byName.get("storefront").get(0).get("parent_id").asText());
    assertThat(gatewayCall.get("namespace").asText()).isEqualTo("remote");
    assertThat(gatewayCall.at("/http/response/status").asInt()).isEqualTo(200);
    JsonNode catalogCall = entities.get(byName.get("catalog").get(0).get("parent_id").asText());
    assertThat(catalogCall.get("namespace").asText()).isEqualTo("remote");
    assertThat(catalogCall.at("/http/request/url").asText()).endsWith("/products/sku-2");
    JsonNode catalog = byName.get("catalog").get(0);
    assertThat(catalog.at("/annotations/route").asText()).isEqualTo("/products/{sku}");
    assertThat(names(catalog)).contains("load product", "product.html");
    assertThat(names(byName.get("orders").get(0))).contains("postgres@orders-db");
    for (List<JsonNode> segments : byName.values()) {
      for (JsonNode segment : segments) {
        assertThat(segment.get("trace_id").asText()).isEqualTo(gateway.get("trace_id").asText());
      }
    }
  }

  private static String callerOf(JsonNode segment, Map<String, JsonNode> entities, Map<String, String> ownerOf) {
    String parent = segment.path("parent_id").asText(null);
    assertThat(parent).as("%s's parent_id", segment.get("name").asText()).isNotNull();
    assertThat(entities).as("%s's parent %s is in the trace", segment.get("name").asText(), parent).containsKey(parent);
    return ownerOf.get(parent);
  }

  private static void index(JsonNode entity, String owner, Map<String, JsonNode> entities, Map<String, String> ownerOf) {
    entities.put(entity.get("id").asText(), entity);
    ownerOf.put(entity.get("id").asText(), owner);
    for (JsonNode child : entity.path("subsegments")) {
      index(child, owner, entities, ownerOf);
    }
  }

  private static Set<String> names(JsonNode entity) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode child : entity.path("subsegments")) {
      names.add(child.get("name").asText());
      names.addAll(names(child));
    }
    return names;
  }

  /** The first of {@code traceIds} whose seven segments have all arrived, waiting until {@code deadline}. */
  private static JsonNode firstComplete(Daemon daemon, List<String> traceIds, long deadline) throws Exception {
    if (traceIds.isEmpty()) {
      return null;
    }
    while (true) {
      List<String> batch = traceIds.subList(Math.max(0, traceIds.size() - 5), traceIds.size());
      JsonNode traces = post(daemon, "/Traces", "{\"TraceIds\":" + JSON.writeValueAsString(batch) + "}");
      for (JsonNode trace : traces.get("Traces")) {
        if (trace.get("Segments").size() == 7) {
          return trace;
        }
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      Thread.sleep(100);
    }
  }

  /** Each service's callees in the daemon's service graph. */
  private static Map<String, Set<String>> serviceGraph(Daemon daemon) throws Exception {
    JsonNode graph = post(daemon, "/ServiceGraph", "{\"StartTime\":" + (now() - 300) + ",\"EndTime\":" + (now() + 60) + "}");
    Map<Integer, String> names = new HashMap<>();
    for (JsonNode node : graph.get("Services")) {
      names.put(node.get("ReferenceId").asInt(), node.get("Name").asText());
    }
    Map<String, Set<String>> edges = new HashMap<>();
    for (JsonNode node : graph.get("Services")) {
      Set<String> callees = edges.computeIfAbsent(node.get("Name").asText(), k -> new HashSet<>());
      for (JsonNode edge : node.get("Edges")) {
        callees.add(names.get(edge.get("ReferenceId").asInt()));
      }
    }
    return edges;
  }

  /**
   * With a recommendations service (here a stand-in that records what it is asked;
   * radiograph-demo-webflux's tests cover the real one), the storefront asks it for suggestions
   * beside the product of each checkout, in the checkout's trace, and the daemon's graph has the
   * edge.
   */
  @Test
  void withARecommendationsServiceTheStorefrontAsksItBesideEachProduct(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":0,\"rate\":1.0}}");
    List<Map<String, String>> received = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpServer recommendations = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    recommendations.createContext("/recommendations/", exchange -> {
      received.add(Map.of("uri", exchange.getRequestURI().toString(),
          "trace", String.valueOf(exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME))));
      byte[] body = "{\"recommended\":[\"sku-1\"]}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    recommendations.start();
    URI recommendationsUri = URI.create("http://127.0.0.1:" + recommendations.getAddress().getPort());
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .rulesFile(rules.toString()).build());
        DemoServices services = new DemoServices(
            "tcp:127.0.0.1:" + daemon.httpPort() + " udp:127.0.0.1:" + daemon.udpPort(), null, recommendationsUri)) {
      assertThat(services.recommendations()).isEqualTo(recommendationsUri);
      String checkoutTrace = succeededCheckout(services, "alice", "sku-2");
      assertThat(received).anySatisfy(r -> {
        assertThat(r.get("uri")).isEqualTo("/recommendations/sku-2?customer=alice");
        assertThat(TraceHeader.parse(r.get("trace")).root().toString()).isEqualTo(checkoutTrace);
      });

      Map<String, Set<String>> edges = Map.of();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && !edges.getOrDefault("storefront", Set.of()).contains("recommendations")) {
        Thread.sleep(200);
        edges = serviceGraph(daemon);
      }
      assertThat(edges.get("storefront")).contains("recommendations", "catalog");
    } finally {
      recommendations.stop(0);
    }
  }

  /** The trace id of a checkout that succeeded (some fail on purpose), trying up to 30 times. */
  private static String succeededCheckout(DemoServices services, String customer, String sku) throws Exception {
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> response = get(services.gateway().resolve("/checkout?customer=" + customer + "&sku=" + sku));
      if (response.statusCode() == 200) {
        return TraceHeader.parse(response.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow()).root().toString();
      }
    }
    throw new AssertionError("no checkout of " + sku + " for " + customer + " succeeded in 30 tries");
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode post(Daemon daemon, String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}

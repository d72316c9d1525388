package dev.radiograph.demo.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The recommendations service as the demo runs it (its own application.properties, a random
 * port), asking a local stand-in for the accounts service (which knows alice), sending to a real
 * UDP socket.
 */
class RecommendationsScenarioTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static UdpDaemon daemon;
  private static HttpServer accounts;
  private static final Map<String, String> accountsSaw = new ConcurrentHashMap<>();
  private static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() throws Exception {
    daemon = new UdpDaemon();
    accounts = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    accounts.createContext("/accounts/", exchange -> {
      String customer = exchange.getRequestURI().getPath().substring("/accounts/".length());
      accountsSaw.put(customer, String.valueOf(exchange.getRequestHeaders().getFirst(TraceHeader.HEADER_NAME)));
      exchange.sendResponseHeaders(customer.equals("alice") ? 200 : 404, -1);
      exchange.close();
    });
    accounts.start();
    app = SpringApplication.run(RecommendationsApplication.class,
        "--server.port=0",
        "--logging.level.root=WARN",
        "--radiograph.daemon-address=" + daemon.address(),
        "--radiograph.sampling=false",
        "--radiograph.startup-segment=false",
        "--demo.accounts-url=http://127.0.0.1:" + accounts.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      SpringApplication.exit(app);
    }
    accounts.stop(0);
    daemon.close();
  }

  @Test
  void aReturningCustomersRecommendationsAreOneSegmentWithTheAccountsCallUnderIt() throws Exception {
    String traceId = TraceId.create().toString();
    HttpResponse<String> response = get("/recommendations/sku-1?customer=alice", traceId);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("recommended").toString()).isEqualTo("[\"sku-2\",\"sku-3\"]");

    JsonNode segment = segment(traceId);
    assertThat(segment.get("name").asText()).isEqualTo("recommendations");
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/recommendations/{sku}");
    assertThat(segment.at("/annotations/customer").asText()).isEqualTo("alice");
    assertThat(segment.at("/annotations/returning_customer").asBoolean()).isTrue();
    List<JsonNode> calls = UdpDaemon.subsegments(segment);
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.get("namespace").asText()).isEqualTo("remote");
      assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
      assertThat(accountsSaw.get("alice")).contains("Root=" + traceId).contains("Parent=" + call.get("id").asText());
    });
  }

  @Test
  void aNewCustomerGetsTheBestSellersAndTheAccountsAnswerIsRecorded() throws Exception {
    String traceId = TraceId.create().toString();
    HttpResponse<String> response = get("/recommendations/sku-3?customer=bob", traceId);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("recommended").toString()).isEqualTo("[\"sku-1\",\"sku-2\"]");

    JsonNode segment = segment(traceId);
    assertThat(segment.at("/annotations/returning_customer").asBoolean()).isFalse();
    assertThat(segment.has("error")).isFalse();
    JsonNode call = UdpDaemon.subsegments(segment).get(0);
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(call.get("error").asBoolean()).isTrue();
  }

  @Test
  void anUnknownProductIsA404() throws Exception {
    String traceId = TraceId.create().toString();
    assertThat(get("/recommendations/sku-404?customer=alice", traceId).statusCode()).isEqualTo(404);
    JsonNode segment = segment(traceId);
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(segment.has("fault")).isFalse();
  }

  private static HttpResponse<String> get(String path, String traceId) throws Exception {
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header(TraceHeader.HEADER_NAME, "Root=" + traceId).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The segment of {@code traceId}, waiting up to 10 seconds for it. */
  private static JsonNode segment(String traceId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode document : daemon.documents()) {
        if (document.get("trace_id").asText().equals(traceId)) {
          return document;
        }
      }
      daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(200));
    }
    throw new AssertionError("no segment of " + traceId + " arrived");
  }
}

package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.server.WebFilter;

/**
 * A real reactive Spring Boot application on Netty (random port) with the starter, calling a
 * second local server through a {@code WebClient}; real HTTP requests; assertions on the
 * documents a real UDP socket received.
 */
class WebFluxScenarioTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ReactiveCatalog catalog;
  private static ReceivedTraces traces;
  private static DirectoryServer directory;

  @BeforeAll
  static void start() throws Exception {
    catalog = ReactiveCatalog.start();
    traces = new ReceivedTraces(catalog.daemon);
    directory = catalog.directory;
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void aRequestIsASegmentWithItsRouteAndItsWebClientCallUnderIt() throws Exception {
    String traceId = TraceId.create().toString();
    HttpResponse<String> response = get("/users/42", traceId);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME)).hasValue("Root=" + traceId);

    JsonNode segment = traces.awaitSegment(traceId, "catalog");
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo(base() + "/users/42");
    assertThat(segment.at("/http/request/client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/users/{id}");

    JsonNode call = UdpDaemon.subsegments(segment).get(0);
    assertThat(call.get("name").asText()).isEqualTo("127.0.0.1");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
    assertThat(call.at("/http/request/url").asText()).isEqualTo(directory.url() + "/directory/42");
    assertThat(call.at("/http/request/traced").asBoolean()).isTrue();
    assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);

    DirectoryServer.Seen seen = directory.seen("42");
    assertThat(TraceHeader.parse(seen.traceHeader()).root().toString()).isEqualTo(traceId);
    assertThat(TraceHeader.parse(seen.traceHeader()).parentId()).isEqualTo(call.get("id").asText());
    assertThat(seen.traceparent()).contains(call.get("id").asText());

    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("current_trace").asText()).isEqualTo(traceId);
  }

  @Test
  void theCurrentSegmentInsideAFlatMapAfterPublishOnIsTheRequests() throws Exception {
    String traceId = TraceId.create().toString();
    HttpResponse<String> response = get("/hop", traceId);
    JsonNode body = JSON.readTree(response.body());
    JsonNode segment = traces.awaitSegment(traceId, "catalog");

    assertThat(body.get("thread").asText()).startsWith("boundedElastic");
    assertThat(body.get("trace_id").asText()).isEqualTo(traceId);
    assertThat(body.get("segment_id").asText()).isEqualTo(segment.get("id").asText());
  }

  @Test
  void aLogLineFromAnOperatorOnAnotherThreadCarriesTheRequestsTrace() throws Exception {
    String traceId = TraceId.create().toString();
    assertThat(get("/greet/zoe", traceId).body()).isEqualTo("hello zoe");
    JsonNode segment = traces.awaitSegment(traceId, "catalog");

    List<String> lines = Files.readAllLines(catalog.log).stream().filter(line -> line.contains("reactive greeting zoe"))
        .toList();
    assertThat(lines).singleElement().asString()
        .contains("[catalog," + TraceId.parse(traceId).toW3C() + "," + segment.get("id").asText() + "] ")
        .contains("boundedElastic");
  }

  @Test
  void anErrorEndsTheSegmentAsAFaultWithTheException() throws Exception {
    String traceId = TraceId.create().toString();
    assertThat(get("/fail", traceId).statusCode()).isEqualTo(500);

    JsonNode segment = traces.awaitSegment(traceId, "catalog");
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(500);
    assertThat(segment.at("/cause/exceptions/0/type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(segment.at("/cause/exceptions/0/message").asText()).isEqualTo("the work failed");
  }

  @Test
  void aResponseStatusExceptionIsItsStatusNotAFault() throws Exception {
    String traceId = TraceId.create().toString();
    assertThat(get("/missing/7", traceId).statusCode()).isEqualTo(404);

    JsonNode segment = traces.awaitSegment(traceId, "catalog");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(segment.get("error").asBoolean()).isTrue();
    assertThat(segment.has("fault")).isFalse();
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/missing/{id}");
  }

  @Test
  void aClientThatGoesAwayEndsTheSegment() throws Exception {
    String traceId = TraceId.create().toString();
    HttpRequest request = request("/slow", traceId).timeout(Duration.ofMillis(500)).build();
    try {
      HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException expected) {
      // the client gave up and closed its connection
    }

    JsonNode segment = traces.awaitSegment(traceId, "catalog");
    assertThat(segment.has("in_progress")).isFalse();
    assertThat(segment.at("/annotations/route").asText()).isEqualTo("/slow");
    assertThat(segment.has("fault")).isFalse();
  }

  @Test
  void aWebClientCallGivenUpOnEndsItsSubsegment() throws Exception {
    String traceId = TraceId.create().toString();
    assertThat(get("/impatient", traceId).statusCode()).isEqualTo(500);

    JsonNode segment = traces.awaitSegment(traceId, "catalog");
    assertThat(segment.get("fault").asBoolean()).isTrue();
    assertThat(segment.at("/cause/exceptions/0/type").asText()).isEqualTo("java.util.concurrent.TimeoutException");
    List<JsonNode> calls = UdpDaemon.subsegments(segment);
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.has("in_progress")).isFalse();
      assertThat(call.at("/http/request/url").asText()).isEqualTo(directory.url() + "/directory-slow");
      assertThat(call.at("/http/response").isMissingNode()).isTrue();
    });
  }

  @Test
  void actuatorRequestsAreNotTraced() throws Exception {
    String traceId = TraceId.create().toString();
    HttpResponse<String> health = get("/actuator/health", traceId + ";Sampled=?");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue(TraceHeader.HEADER_NAME)).hasValueSatisfying(header ->
        assertThat(header).contains(traceId).contains("Sampled=0"));
    assertThat(traces.segments(traceId, Duration.ofMillis(300))).isEmpty();
  }

  @Test
  void theFilterIsFirstInTheChain() {
    List<WebFilter> filters = catalog.app.getBeanProvider(WebFilter.class).orderedStream().toList();
    assertThat(filters.get(0)).isInstanceOf(RadiographWebFilter.class);
  }

  private static HttpResponse<String> get(String path, String traceId) throws Exception {
    return HTTP.send(request(path, traceId).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path, String root) {
    return HttpRequest.newBuilder(URI.create(base() + path))
        .header(TraceHeader.HEADER_NAME, "Root=" + root)
        .timeout(Duration.ofSeconds(10));
  }

  private static String base() {
    return catalog.base();
  }
}

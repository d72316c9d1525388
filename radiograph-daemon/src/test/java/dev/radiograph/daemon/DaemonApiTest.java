package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The daemon fed by the real SDK over UDP, read through its X-Ray API over real HTTP. */
class DaemonApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Daemon daemon;
  private static Recorder frontend;
  private static Recorder backend;
  private static final List<String> traceIds = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    frontend = recorder();
    backend = recorder();
    for (int i = 0; i < 6; i++) {
      Segment front = frontend.beginSegment("frontend");
      front.putHttp("method", i % 2 == 0 ? "GET" : "POST");
      front.putHttp("url", "http://shop.local/orders/" + i);
      front.putAnnotation("customer", i == 3 ? "alice" : "bob");
      front.putAnnotation("items", i);
      front.setUser(i == 3 ? "alice" : "bob");
      Subsegment call = frontend.beginSubsegment("backend");
      call.setNamespace("remote");
      // The backend continues the trace, as it would from the X-Amzn-Trace-Id header.
      Segment back = backend.beginSegment("backend", call.traceHeader());
      Subsegment db = backend.beginSubsegment("postgres@db.local");
      db.setNamespace("remote");
      db.putSql("sanitized_query", "SELECT * FROM orders WHERE id = ?");
      backend.endSubsegment();
      back.putHttp("status", i == 5 ? 500 : 200);
      backend.endSegment();
      frontend.endSubsegment();
      front.putHttp("status", i == 5 ? 502 : i == 4 ? 404 : 200);
      frontend.endSegment();
      traceIds.add(front.traceId().toString());
    }
    frontend.flush(Duration.ofSeconds(5));
    backend.flush(Duration.ofSeconds(5));
    assertThat(daemon.awaitDocuments(12, Duration.ofSeconds(10))).isTrue();
  }

  private static Recorder recorder() {
    return Recorder.builder()
        .daemonAddress("127.0.0.1:" + daemon.udpPort())
        .sampling(false)
        .environment(Map.of())
        .systemProperties(new Properties())
        .build();
  }

  @AfterAll
  static void stop() {
    frontend.close();
    backend.close();
    daemon.close();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return DaemonApiTestSupport.postJson(daemon.baseUrl(), path, body);
  }

  private static JsonNode summaries(String filter) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String body = JSON.writeValueAsString(Map.of("StartTime", now - 600, "EndTime", now + 60,
        "FilterExpression", filter == null ? "" : filter));
    HttpResponse<String> response = post("/TraceSummaries", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void summariesListEveryTraceWithTheRootsHttpAndAnnotations() throws Exception {
    JsonNode result = summaries(null);
    assertThat(result.get("TraceSummaries")).hasSize(6);
    assertThat(result.get("TracesProcessedCount").asInt()).isEqualTo(6);
    JsonNode faulty = null;
    for (JsonNode s : result.get("TraceSummaries")) {
      assertThat(traceIds).contains(s.get("Id").asText());
      assertThat(s.get("ResponseTime").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(s.at("/EntryPoint/Name").asText()).isEqualTo("frontend");
      if (s.get("HasFault").asBoolean()) {
        faulty = s;
      }
    }
    assertThat(faulty).isNotNull();
    assertThat(faulty.at("/Http/HttpStatus").asInt()).isEqualTo(502);
    assertThat(faulty.at("/Http/HttpURL").asText()).isEqualTo("http://shop.local/orders/5");
    assertThat(faulty.at("/Annotations/items/0/AnnotationValue/NumberValue").asDouble()).isEqualTo(5);
  }

  @Test
  void filterExpressionsNarrowTheList() throws Exception {
    assertThat(summaries("fault").get("TraceSummaries")).hasSize(1);
    assertThat(summaries("error").get("TraceSummaries")).hasSize(1);
    assertThat(summaries("annotation.customer = \"alice\"").get("TraceSummaries")).hasSize(1);
    assertThat(summaries("http.method = \"POST\" and not fault").get("TraceSummaries")).hasSize(2);
    assertThat(summaries("annotation.items >= 4 or user = \"alice\"").get("TraceSummaries")).hasSize(3);
    assertThat(summaries("service(\"backend\")").get("TraceSummaries")).hasSize(6);
    assertThat(summaries("service(\"nope\")").get("TraceSummaries")).isEmpty();
    assertThat(summaries("http.url CONTAINS \"orders/3\"").get("TraceSummaries")).hasSize(1);
  }

  @Test
  void invalidFilterGetsA400ThatSaysWhere() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    HttpResponse<String> response = post("/TraceSummaries",
        "{\"StartTime\":" + (now - 60) + ",\"EndTime\":" + now + ",\"FilterExpression\":\"responsetime >\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("__type").asText()).isEqualTo("InvalidRequestException");
    assertThat(error.get("message").asText()).contains("position");
    assertThat(post("/TraceSummaries", "{not json").statusCode()).isEqualTo(400);
    assertThat(post("/TraceSummaries", "{}").body()).contains("StartTime is required");
    assertThat(post("/Nope", "{}").statusCode()).isEqualTo(404);
  }

  @Test
  void tracesReturnEverySegmentOfTheTrace() throws Exception {
    HttpResponse<String> response = post("/Traces",
        JSON.writeValueAsString(Map.of("TraceIds", List.of(traceIds.get(0), "1-00000000-000000000000000000000000"))));
    JsonNode result = JSON.readTree(response.body());
    JsonNode trace = result.at("/Traces/0");
    assertThat(trace.get("Id").asText()).isEqualTo(traceIds.get(0));
    assertThat(trace.get("Segments")).hasSize(2);
    List<String> names = new ArrayList<>();
    for (JsonNode segment : trace.get("Segments")) {
      JsonNode doc = JSON.readTree(segment.get("Document").asText());
      assertThat(doc.get("id").asText()).isEqualTo(segment.get("Id").asText());
      names.add(doc.get("name").asText());
    }
    assertThat(names).containsExactlyInAnyOrder("frontend", "backend");
    assertThat(result.get("UnprocessedTraceIds")).hasSize(1);
  }

  @Test
  void serviceGraphHasServicesEdgesAndTheInferredDatabase() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode graph = JSON.readTree(post("/ServiceGraph", "{\"StartTime\":" + (now - 600) + ",\"EndTime\":" + (now + 60) + "}").body());
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    Map<Integer, String> names = new java.util.HashMap<>();
    for (JsonNode service : graph.get("Services")) {
      byName.put(service.get("Name").asText(), service);
      names.put(service.get("ReferenceId").asInt(), service.get("Name").asText());
    }
    assertThat(byName).containsOnlyKeys("frontend", "backend", "postgres@db.local");
    JsonNode frontendNode = byName.get("frontend");
    assertThat(frontendNode.get("Root").asBoolean()).isTrue();
    assertThat(frontendNode.at("/SummaryStatistics/TotalCount").asInt()).isEqualTo(6);
    assertThat(frontendNode.at("/SummaryStatistics/FaultStatistics/TotalCount").asInt()).isEqualTo(1);
    assertThat(frontendNode.at("/SummaryStatistics/ErrorStatistics/TotalCount").asInt()).isEqualTo(1);
    assertThat(names.get(frontendNode.at("/Edges/0/ReferenceId").asInt())).isEqualTo("backend");
    assertThat(frontendNode.at("/Edges/0/SummaryStatistics/TotalCount").asInt()).isEqualTo(6);
    assertThat(frontendNode.at("/Edges/0/ResponseTimeHistogram").size()).isPositive();
    JsonNode backendNode = byName.get("backend");
    assertThat(names.get(backendNode.at("/Edges/0/ReferenceId").asInt())).isEqualTo("postgres@db.local");
  }

  @Test
  void putTraceSegmentsStoresValidDocumentsAndReportsTheRest() throws Exception {
    long before = daemon.store().stats().rejectedMalformed();
    // Long ago (the trace id's own time), so it stays out of the other tests' time range.
    String good = "{\"name\":\"batch\",\"id\":\"70de5b6f19ff9a0a\",\"trace_id\":\"1-5759e988-bd862e3fe1be46a994272793\","
        + "\"start_time\":1465510280.5,\"end_time\":1465510280.75}";
    String body = JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(good, "{\"name\":\"x\"}", "nope")));
    JsonNode result = JSON.readTree(post("/TraceSegments", body).body());
    assertThat(result.get("UnprocessedTraceSegments")).hasSize(2);
    assertThat(result.at("/UnprocessedTraceSegments/0/Message").asText()).contains("id");
    assertThat(daemon.store().stats().rejectedMalformed()).isEqualTo(before + 2);
    JsonNode traces = JSON.readTree(post("/Traces", "{\"TraceIds\":[\"1-5759e988-bd862e3fe1be46a994272793\"]}").body());
    assertThat(traces.at("/Traces/0/Segments/0/Id").asText()).isEqualTo("70de5b6f19ff9a0a");
  }

  @Test
  void oversizeDocumentsAreRejectedAndCounted() throws Exception {
    long before = daemon.store().stats().rejectedOversize();
    String huge = "{\"name\":\"huge\",\"id\":\"70de5b6f19ff9a0b\",\"trace_id\":\"1-5759e988-bd862e3fe1be46a994272799\","
        + "\"start_time\":1465510280.5,\"end_time\":1465510280.75,\"metadata\":{\"default\":{\"blob\":\""
        + "x".repeat(70_000) + "\"}}}";
    JsonNode result = JSON.readTree(post("/TraceSegments", JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(huge)))).body());
    assertThat(result.at("/UnprocessedTraceSegments/0/ErrorCode").asText()).isEqualTo("DocumentTooLarge");
    assertThat(daemon.store().stats().rejectedOversize()).isEqualTo(before + 1);
  }

  @Test
  void statsAndViewerAreServed() throws Exception {
    HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/radiograph/stats")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode counts = JSON.readTree(stats.body());
    assertThat(counts.get("accepted").asLong()).isGreaterThanOrEqualTo(12);
    assertThat(counts.get("storedTraces").asLong()).isGreaterThanOrEqualTo(6);
    assertThat(counts.has("sampling")).isTrue();
    assertThat(counts.get("store").asText()).as("the default store").isEqualTo("memory");
    HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    HttpResponse<String> traversal = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/viewer/..%2F..%2Fetc%2Fpasswd")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(traversal.statusCode()).isEqualTo(404);
  }

  @Test
  void headIsAnsweredWithTheHeadersAndNoBody() throws Exception {
    HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(head.body()).isEmpty();
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/"))
        .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.body()).contains("use POST for the X-Ray API, GET for the viewer");
  }

  @Test
  void viewerSettingsCarryTheLogsUrlTemplateSplitIntoParts() throws Exception {
    assertThat(JSON.readTree(DaemonApiTestSupport.get(daemon, "/radiograph/viewer-settings")).get("logsUrl").isNull())
        .as("no --logs-url")
        .isTrue();
    try (Daemon withLogs = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .logsUrl("http://localhost:3000/explore?query={traceId}&from={start}").build())) {
      JsonNode logsUrl = JSON.readTree(DaemonApiTestSupport.get(withLogs, "/radiograph/viewer-settings")).get("logsUrl");
      assertThat(logsUrl.get("template").asText()).isEqualTo("http://localhost:3000/explore?query={traceId}&from={start}");
      assertThat(logsUrl.get("parts").toString()).isEqualTo("[{\"text\":\"http://localhost:3000/explore?query=\"},"
          + "{\"placeholder\":\"traceId\"},{\"text\":\"&from=\"},{\"placeholder\":\"start\"}]");
    }
  }
}

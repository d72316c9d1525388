package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real OpenTelemetry Java SDK sends spans to the daemon over OTLP/HTTP (protobuf, gzip) and
 * OTLP/gRPC, and a hand-written OTLP JSON request arrives too; BatchGetTraces gives back X-Ray
 * documents with their parents, names, http and sql blocks, annotations and exceptions.
 */
class OtlpIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Daemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .otlpHttp("127.0.0.1:0").otlpGrpc("127.0.0.1:0").build());
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  /** The service's spans: a server span with a database call, an HTTP call and a failing step. */
  private static String sendCheckout(SpanExporter exporter) {
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), "checkout")));
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.get("otlp-ingest-test");
    Span server = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER).startSpan();
    server.setAttribute("http.request.method", "GET");
    server.setAttribute("url.scheme", "http");
    server.setAttribute("server.address", "orders.local");
    server.setAttribute("url.path", "/orders/7");
    server.setAttribute("http.response.status_code", 200L);
    try (Scope ignored = server.makeCurrent()) {
      tracer.spanBuilder("SELECT shop.orders").setSpanKind(SpanKind.CLIENT)
          .setAttribute("db.system", "postgresql")
          .setAttribute("db.namespace", "shop")
          .setAttribute("db.query.text", "SELECT * FROM orders WHERE id = ?")
          .setAttribute("server.address", "db.local")
          .setAttribute("server.port", 5432L)
          .startSpan().end();
      // The old HTTP conventions, as older instrumentation still writes them.
      tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT)
          .setAttribute("http.method", "GET")
          .setAttribute("http.url", "http://inventory.local/stock/7")
          .setAttribute("http.status_code", 404L)
          .startSpan().end();
      Span price = tracer.spanBuilder("price").startSpan();
      price.setAttribute("customer", "c-7");
      price.setAttribute(AttributeKey.stringArrayKey("aws.xray.annotations"), List.of("customer"));
      price.setAttribute("discount", 0.25);
      price.recordException(new IllegalStateException("no price for item 7"));
      price.setStatus(StatusCode.ERROR, "no price");
      price.end();
    }
    server.end();
    String traceId = server.getSpanContext().getTraceId();
    provider.forceFlush().join(10, TimeUnit.SECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
  }

  private JsonNode segmentOf(String xrayTraceId, int documents) throws Exception {
    assertThat(daemon.awaitDocuments(documents, Duration.ofSeconds(10))).isTrue();
    JsonNode result = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces",
        "{\"TraceIds\":[\"" + xrayTraceId + "\"]}"));
    JsonNode segments = result.at("/Traces/0/Segments");
    assertThat(segments).hasSize(1);
    return JSON.readTree(segments.get(0).get("Document").asText());
  }

  private static JsonNode child(JsonNode segment, String name) {
    for (JsonNode sub : segment.path("subsegments")) {
      if (sub.path("name").asText().equals(name)) {
        return sub;
      }
    }
    throw new AssertionError("no subsegment " + name + " in " + segment);
  }

  private void assertCheckout(JsonNode segment) {
    assertThat(segment.path("name").asText()).isEqualTo("checkout");
    assertThat(segment.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(segment.at("/http/request/url").asText()).isEqualTo("http://orders.local/orders/7");
    assertThat(segment.at("/http/response/status").asInt()).isEqualTo(200);
    assertThat(segment.at("/aws/xray/sdk").asText()).isEqualTo("opentelemetry for Java");
    assertThat(segment.has("fault")).isFalse();
    assertThat(segment.path("subsegments")).hasSize(3);

    JsonNode db = child(segment, "shop");
    assertThat(db.path("namespace").asText()).isEqualTo("remote");
    assertThat(db.at("/sql/url").asText()).isEqualTo("db.local:5432/shop");
    assertThat(db.at("/sql/database_type").asText()).isEqualTo("postgresql");
    assertThat(db.at("/sql/sanitized_query").asText()).isEqualTo("SELECT * FROM orders WHERE id = ?");

    JsonNode inventory = child(segment, "inventory.local");
    assertThat(inventory.path("namespace").asText()).isEqualTo("remote");
    assertThat(inventory.at("/http/request/url").asText()).isEqualTo("http://inventory.local/stock/7");
    assertThat(inventory.at("/http/response/status").asInt()).isEqualTo(404);
    assertThat(inventory.path("error").asBoolean()).isTrue();
    assertThat(inventory.has("fault")).isFalse();

    JsonNode price = child(segment, "price");
    assertThat(price.has("namespace")).isFalse();
    assertThat(price.at("/annotations/customer").asText()).isEqualTo("c-7");
    assertThat(price.at("/metadata/default/discount").asDouble()).isEqualTo(0.25);
    assertThat(price.at("/metadata/default").has("customer")).isFalse();
    assertThat(price.path("fault").asBoolean()).isTrue();
    JsonNode exception = price.at("/cause/exceptions/0");
    assertThat(exception.path("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(exception.path("message").asText()).isEqualTo("no price for item 7");
    assertThat(exception.path("id").asText()).hasSize(16);
    assertThat(exception.at("/stack/0/label").asText()).startsWith("dev.radiograph.daemon.OtlpIngestTest.");
    assertThat(exception.at("/stack/0/path").asText()).isEqualTo("OtlpIngestTest.java");
    assertThat(exception.at("/stack/0/line").asInt()).isPositive();
  }

  @Test
  void theOpenTelemetrySdkOverHttpProtobufWithGzip() throws Exception {
    String traceId = sendCheckout(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + daemon.otlpHttpPort() + "/v1/traces").setCompression("gzip").build());
    assertCheckout(segmentOf(traceId, 4));
  }

  @Test
  void theOpenTelemetrySdkOverGrpc() throws Exception {
    String traceId = sendCheckout(OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + daemon.otlpGrpcPort()).build());
    assertCheckout(segmentOf(traceId, 4));
  }

  @Test
  void aGrpcRequestThatIsNotAnExportRequestIsInvalidArgument() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      byte[] garbage = {0x0a, 0x7f, 0x01};
      io.vertx.core.buffer.Buffer frame = io.vertx.core.buffer.Buffer.buffer()
          .appendByte((byte) 0).appendInt(garbage.length).appendBytes(garbage); // uncompressed, length, message
      io.vertx.core.http.HttpClientResponse response = client
          .request(io.vertx.core.http.HttpMethod.POST, daemon.otlpGrpcPort(), "127.0.0.1",
              "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .compose(request -> request.putHeader("content-type", "application/grpc").putHeader("te", "trailers")
              .send(frame))
          .compose(r -> r.body().map(body -> r))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String status = response.getTrailer("grpc-status") != null ? response.getTrailer("grpc-status")
          : response.getHeader("grpc-status");
      String message = response.getTrailer("grpc-message") != null ? response.getTrailer("grpc-message")
          : response.getHeader("grpc-message");
      assertThat(status).isEqualTo("3"); // INVALID_ARGUMENT
      assertThat(java.net.URLDecoder.decode(message, java.nio.charset.StandardCharsets.UTF_8))
          .contains("cannot decode the OTLP request");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> postOtlp(String contentType, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void otlpJsonWithHexIdsEnumsAsNumbersOrNamesAndIntegersAsStrings() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing"}}]},
          "scopeSpans":[{"scope":{"name":"hand"},"spans":[
            {"traceId":"5F84C7A1AB12CD34EF56AB12CD34EF56","spanId":"1111111111111111","name":"POST /bill",
             "kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
             "attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}},
                           {"key":"url.full","value":{"stringValue":"http://billing/bill"}},
                           {"key":"http.response.status_code","value":{"intValue":"429"}}]},
            {"traceId":"5f84c7a1ab12cd34ef56ab12cd34ef56","spanId":"2222222222222222","parentSpanId":"1111111111111111",
             "name":"charge","kind":"SPAN_KIND_CLIENT","startTimeUnixNano":"1700000000100000000",
             "endTimeUnixNano":"1700000000200000000","unknownField":true,
             "attributes":[{"key":"peer.service","value":{"stringValue":"payments"}}],
             "status":{"code":2,"message":"declined"}}]}]}]}
        """;
    HttpResponse<String> response = postOtlp("application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).has("partialSuccess")).isFalse();
    JsonNode segment = segmentOf("1-5f84c7a1-ab12cd34ef56ab12cd34ef56", 2);
    assertThat(segment.path("name").asText()).isEqualTo("billing");
    assertThat(segment.path("id").asText()).isEqualTo("1111111111111111");
    assertThat(segment.path("start_time").asDouble()).isEqualTo(1_700_000_000.0);
    assertThat(segment.path("end_time").asDouble()).isEqualTo(1_700_000_000.25);
    assertThat(segment.path("throttle").asBoolean()).isTrue();
    assertThat(segment.path("error").asBoolean()).isTrue();
    JsonNode charge = child(segment, "payments");
    assertThat(charge.path("namespace").asText()).isEqualTo("remote");
    assertThat(charge.path("fault").asBoolean()).isTrue();
  }

  @Test
  void badPayloadsAre400WithTheReasonAndBadSpansAPartialSuccess() throws Exception {
    HttpResponse<String> garbage = postOtlp("application/x-protobuf", new byte[] {0x0a, 0x7f, 0x01});
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("cannot decode the OTLP protobuf request");

    HttpResponse<String> badJson = postOtlp("application/json", "{\"resourceSpans\":[".getBytes());
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badJson.body()).path("message").asText()).contains("cannot decode the OTLP JSON request");

    HttpResponse<String> badId = postOtlp("application/json", ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
        + "{\"traceId\":\"abcd\",\"spanId\":\"1111111111111111\",\"name\":\"x\",\"startTimeUnixNano\":\"1700000000000000000\"},"
        + "{\"traceId\":\"5f84c7a1ab12cd34ef56ab12cd34ef57\",\"spanId\":\"3333333333333333\",\"name\":\"ok\","
        + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000001000000000\"}]}]}]}").getBytes());
    assertThat(badId.statusCode()).isEqualTo(200);
    JsonNode partial = JSON.readTree(badId.body()).path("partialSuccess");
    assertThat(partial.path("rejectedSpans").asLong()).isEqualTo(1);
    assertThat(partial.path("errorMessage").asText()).contains("trace_id must be 16 bytes");
    assertThat(segmentOf("1-5f84c7a1-ab12cd34ef56ab12cd34ef57", 1).path("name").asText()).isEqualTo("unknown_service");

    assertThat(postOtlp("text/plain", "hello".getBytes()).statusCode()).isEqualTo(415);
    HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + daemon.otlpHttpPort() + "/v1/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(elsewhere.statusCode()).isEqualTo(404);
  }
}

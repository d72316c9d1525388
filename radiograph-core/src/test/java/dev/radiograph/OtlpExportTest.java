package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.radiograph.config.SettingKey;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP exporter ({@code exporter=otlp}) as a receiver sees it: a real HTTP server on loopback
 * decoding every request with opentelemetry-proto's own classes.
 */
class OtlpExportTest {
  private static final int REQUESTS = 200;

  private HttpServer server;
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> headersSeen = new ConcurrentHashMap<>();
  private final AtomicInteger unavailableAnswers = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        headersSeen.put("content-type", exchange.getRequestHeaders().getFirst("Content-Type"));
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
          headersSeen.put("authorization", auth);
        }
        if (unavailableAnswers.getAndDecrement() > 0) {
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        received.add(ExportTraceServiceRequest.parseFrom(body));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private RecorderBuilder recorder(Map<String, String> environment) {
    return Recorder.builder()
        .environment(environment)
        .systemProperties(new Properties())
        .sampling(false)
        .setting(SettingKey.EXPORTER, "otlp")
        .setting(SettingKey.OTLP_ENDPOINT, "http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every span with the resource it came under. */
  private List<Map.Entry<Resource, Span>> spans() {
    List<Map.Entry<Resource, Span>> all = new ArrayList<>();
    for (ExportTraceServiceRequest request : received) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            all.add(Map.entry(rs.getResource(), span));
          }
        }
      }
    }
    return all;
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> list) {
    Map<String, AnyValue> map = new HashMap<>();
    for (KeyValue kv : list) {
      assertThat(map.put(kv.getKey(), kv.getValue())).as("duplicate attribute " + kv.getKey()).isNull();
    }
    return map;
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Test
  void everyEntityOfTwoHundredConcurrentRequestsArrivesOnceWithItsParent() throws Exception {
    try (Recorder recorder = recorder(Map.of()).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int number = i;
        futures.add(pool.submit(() -> {
          recorder.beginSegment("request-" + number);
          recorder.currentSegment().putAnnotation("request", number);
          for (int s = 0; s < 3; s++) {
            recorder.beginSubsegment("step");
            recorder.trace("inner", () -> recorder.currentSubsegment().putAnnotation("request", number));
            recorder.endSubsegment();
          }
          recorder.endSegment();
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(recorder.flush(Duration.ofSeconds(20))).isTrue();
    }
    List<Map.Entry<Resource, Span>> spans = spans();
    assertThat(spans).hasSize(REQUESTS * 7);
    Map<String, Span> byId = new HashMap<>();
    for (Map.Entry<Resource, Span> e : spans) {
      assertThat(byId.put(hex(e.getValue().getSpanId()), e.getValue())).as("a span sent twice").isNull();
    }
    Set<String> traces = ConcurrentHashMap.newKeySet();
    for (Map.Entry<Resource, Span> e : spans) {
      Span span = e.getValue();
      traces.add(hex(span.getTraceId()));
      if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
        assertThat(span.getParentSpanId().isEmpty()).isTrue();
        long number = attributes(span.getAttributesList()).get("request").getIntValue();
        assertThat(attributes(e.getKey().getAttributesList()).get("service.name").getStringValue())
            .isEqualTo("request-" + number);
        assertThat(span.getName()).isEqualTo("request-" + number);
      } else {
        Span parent = byId.get(hex(span.getParentSpanId()));
        assertThat(parent).as("the parent of " + span.getName()).isNotNull();
        assertThat(parent.getTraceId()).isEqualTo(span.getTraceId());
        assertThat(parent.getName()).isEqualTo(span.getName().equals("inner") ? "step" : parent.getName());
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      }
      assertThat(span.getEndTimeUnixNano()).isGreaterThanOrEqualTo(span.getStartTimeUnixNano());
    }
    assertThat(traces).hasSize(REQUESTS);
    assertThat(headersSeen.get("content-type")).isEqualTo("application/x-protobuf");
  }

  @Test
  void blocksSemanticConventionsAndTheTraceIdsOwnBits() throws Exception {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc");
    String traceId;
    String subsegmentId;
    try (Recorder recorder = recorder(env).build()) {
      Segment segment = recorder.beginSegment("orders");
      traceId = segment.traceId().toString();
      segment.putHttp("method", "POST");
      segment.putHttp("url", "http://orders/checkout");
      segment.putHttp("status", 503);
      segment.putAnnotation("customer", "c-42");
      segment.putMetadata("cart", Map.of("items", 3));
      Subsegment db = recorder.beginSubsegment("orders@db");
      db.setNamespace("remote");
      db.putSql("sanitized_query", "SELECT * FROM orders WHERE id = ?");
      db.putSql("database_type", "PostgreSQL");
      db.putSql("url", "jdbc:postgresql://db/orders");
      db.addException(new IllegalStateException("deadlock"));
      subsegmentId = db.id();
      recorder.endSubsegment();
      recorder.endSegment();
      assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
    }
    List<Map.Entry<Resource, Span>> spans = spans();
    assertThat(spans).hasSize(2);
    Span server = spans.stream().map(Map.Entry::getValue).filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .findFirst().orElseThrow();
    Span client = spans.stream().map(Map.Entry::getValue).filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .findFirst().orElseThrow();
    // 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy keeps its bits: the W3C id is the two parts joined.
    assertThat(hex(server.getTraceId())).isEqualTo(traceId.substring(2, 10) + traceId.substring(11));
    Map<String, AnyValue> s = attributes(server.getAttributesList());
    assertThat(s.get("http.request.method").getStringValue()).isEqualTo("POST");
    assertThat(s.get("url.full").getStringValue()).isEqualTo("http://orders/checkout");
    assertThat(s.get("http.response.status_code").getIntValue()).isEqualTo(503);
    assertThat(s.get("customer").getStringValue()).isEqualTo("c-42");
    assertThat(s.get("aws.xray.annotations").getArrayValue().getValues(0).getStringValue()).isEqualTo("customer");
    assertThat(s.get("aws.xray.metadata.default").getStringValue()).isEqualTo("{\"cart\":{\"items\":3}}");
    assertThat(server.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);

    assertThat(hex(client.getSpanId())).isEqualTo(subsegmentId);
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
    Map<String, AnyValue> c = attributes(client.getAttributesList());
    assertThat(c.get("peer.service").getStringValue()).isEqualTo("orders@db");
    assertThat(c.get("db.query.text").getStringValue()).isEqualTo("SELECT * FROM orders WHERE id = ?");
    assertThat(c.get("db.system").getStringValue()).isEqualTo("PostgreSQL");
    assertThat(c.get("db.connection_string").getStringValue()).isEqualTo("jdbc:postgresql://db/orders");
    assertThat(client.getEventsList()).hasSize(1);
    Map<String, AnyValue> x = attributes(client.getEvents(0).getAttributesList());
    assertThat(client.getEvents(0).getName()).isEqualTo("exception");
    assertThat(x.get("exception.type").getStringValue()).isEqualTo("java.lang.IllegalStateException");
    assertThat(x.get("exception.message").getStringValue()).isEqualTo("deadlock");
    assertThat(x.get("exception.stacktrace").getStringValue())
        .startsWith("java.lang.IllegalStateException: deadlock\n\tat dev.radiograph.OtlpExportTest.");
    assertThat(headersSeen.get("authorization")).isEqualTo("Bearer abc");
  }

  @Test
  void aReceiverThatIsUnavailableAtFirstGetsTheBatchOnceWhenItRecovers() throws Exception {
    unavailableAnswers.set(2);
    try (Recorder recorder = recorder(Map.of()).build()) {
      for (int i = 0; i < 10; i++) {
        recorder.beginSegment("r" + i);
        recorder.endSegment();
      }
      assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(spans()).hasSize(10);
    assertThat(spans().stream().map(e -> e.getValue().getName()).distinct()).hasSize(10);
  }

  @Test
  void anAbsentReceiverDropsAndCountsWithoutBlocking() {
    int port = server.getAddress().getPort();
    server.stop(0);
    try (Recorder recorder = Recorder.builder().environment(Map.of()).systemProperties(new Properties())
        .sampling(false).setting(SettingKey.EXPORTER, "otlp")
        .setting(SettingKey.OTLP_TRACES_ENDPOINT, "http://127.0.0.1:" + port + "/v1/traces").build()) {
      recorder.beginSegment("nobody-listens");
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(10));
      assertThat(recorder.emitterStats().failed()).isEqualTo(1);
      assertThat(recorder.emitterStats().sent()).isZero();
    }
  }
}

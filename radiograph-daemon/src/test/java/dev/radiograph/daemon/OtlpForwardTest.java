package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.radiograph.Recorder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code --forward otlp}: what reaches the daemon over UDP and over OTLP is sent on to an OTLP
 * receiver (here a local one decoding with opentelemetry-proto), every span exactly once, after
 * the receiver answered 503 and then 200; the local store keeps everything too.
 */
class OtlpForwardTest {
  @Test
  void everySpanReachesTheReceiverOnceAfterItWasUnavailable() throws Exception {
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    Map<String, String> authorization = new ConcurrentHashMap<>();
    AtomicInteger unavailable = new AtomicInteger(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
          authorization.put("value", auth);
        }
        if (unavailable.getAndDecrement() > 0) {
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        received.add(ExportTraceServiceRequest.parseFrom(body));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    receiver.start();
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .otlpHttp("127.0.0.1:0").forwardToOtlp(true).header("Authorization", "Bearer t0ken")
        .endpoint(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces")).build())) {
      try (Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:" + daemon.udpPort()).sampling(false)
          .environment(Map.of()).systemProperties(new Properties()).build()) {
        for (int i = 0; i < 20; i++) {
          recorder.beginSegment("udp-service");
          recorder.beginSubsegment("step-" + i);
          recorder.endSubsegment();
          recorder.endSegment();
        }
        recorder.flush(Duration.ofSeconds(10));
      }
      SdkTracerProvider otel = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "otel-service")))
          // One batch: the exporter refuses more than a few requests at once.
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + daemon.otlpHttpPort() + "/v1/traces").build()).build())
          .build();
      for (int i = 0; i < 10; i++) {
        otel.get("t").spanBuilder("op-" + i).setSpanKind(SpanKind.SERVER).startSpan().end();
      }
      otel.forceFlush().join(10, TimeUnit.SECONDS);
      otel.shutdown().join(10, TimeUnit.SECONDS);
      assertThat(daemon.awaitDocuments(30, Duration.ofSeconds(10))).as(() -> "" + daemon.store().stats()).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (spans(received).size() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(300); // a duplicate, if there were one, would arrive now
      Map<String, Span> spans = spans(received);
      assertThat(spans).hasSize(20 * 2 + 10);
      assertThat(countSpans(received)).as("no span twice").isEqualTo(50);
      // Forwarded as the segments they became: named after their service.
      assertThat(spans.values()).filteredOn(s -> s.getName().equals("otel-service")).hasSize(10);
      assertThat(spans.values()).filteredOn(s -> s.getName().startsWith("step-"))
          .allSatisfy(s -> assertThat(spans).containsKey(HexFormat.of().formatHex(s.getParentSpanId().toByteArray())));
      assertThat(authorization.get("value")).isEqualTo("Bearer t0ken");
      assertThat(unavailable.get()).isNegative(); // it was asked again after the 503
      assertThat(daemon.store().stats().accepted()).isEqualTo(30); // documents: 20 segments (each with its subsegment), 10 spans
    } finally {
      receiver.stop(0);
    }
  }

  private static Map<String, Span> spans(List<ExportTraceServiceRequest> requests) {
    Map<String, Span> byId = new HashMap<>();
    for (ExportTraceServiceRequest request : requests) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            byId.put(HexFormat.of().formatHex(span.getSpanId().toByteArray()), span);
          }
        }
      }
    }
    return byId;
  }

  private static int countSpans(List<ExportTraceServiceRequest> requests) {
    int n = 0;
    for (ExportTraceServiceRequest request : requests) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
        }
      }
    }
    return n;
  }
}

package dev.radiograph.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import dev.radiograph.vertx.RadiographTracerFactory;
import dev.radiograph.vertx.RadiographVertx;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Vert.x server on one event loop: requests whose handlers hop through timers interleave
 * on the same thread, and Vert.x switches between their contexts without calling Radiograph.
 * Every line logged in a handler or a timer callback carries its own request's ids.
 */
class VertxCorrelationTest {
  @Test
  void callbacksOfInterleavedRequestsOnOneEventLoopLogTheirOwnIds() throws Exception {
    LogbackCorrelationTest.configureLogbackOnce();
    String tag = "vertx";
    int requests = 200;
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().segmentContext(dev.radiograph.vertx.VertxSegmentContext.create())
            .tracingName("vertx-logs").build()) {
      Vertx vertx = Vertx.builder()
          .with(new VertxOptions().setEventLoopPoolSize(1))
          .withTracer(new RadiographTracerFactory(recorder))
          .build();
      try {
        HttpServer server = vertx.createHttpServer()
            .requestHandler(RadiographVertx.withResponseHeader(request -> {
              String n = request.getParam("n");
              LogbackCorrelationTest.LOG.info("{} handler-{}", tag, n);
              // Two hops: other requests' handlers and timers run on this thread in between.
              vertx.setTimer(1 + (Integer.parseInt(n) * 7) % 5, first -> {
                LogbackCorrelationTest.LOG.info("{} first-{}", tag, n);
                vertx.setTimer(1 + (Integer.parseInt(n) * 3) % 4, second -> {
                  LogbackCorrelationTest.LOG.info("{} second-{}", tag, n);
                  request.response().end(n);
                });
              });
            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        HttpClient client = HttpClient.newHttpClient();
        Map<String, String> traceOfRequest = new HashMap<>();
        for (int batch = 0; batch < requests; batch += 20) {
          List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
          for (int n = batch; n < batch + 20; n++) {
            URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/work?n=" + n);
            sent.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
          }
          for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answered = response.get(20, TimeUnit.SECONDS);
            String header = answered.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow();
            traceOfRequest.put(answered.body(), TraceHeader.parse(header).root().toString());
          }
        }
        List<JsonNode> documents = daemon.receive(requests, LogbackCorrelationTest.WAIT);
        assertThat(documents).hasSize(requests);
        Map<String, String> segmentOfTrace = new HashMap<>();
        documents.forEach(d -> segmentOfTrace.put(d.get("trace_id").asText(), d.get("id").asText()));

        List<LogLine> lines = LogLine.read(LogbackCorrelationTest.file, tag);
        assertThat(lines).hasSize(3 * requests);
        List<LogLine> wrong = new ArrayList<>();
        for (LogLine line : lines) {
          String traceId = traceOfRequest.get(line.label().split("-")[1]);
          if (!LogbackCorrelationTest.carries(line, traceId, segmentOfTrace.get(traceId))) {
            wrong.add(line);
          }
        }
        assertThat(wrong).isEmpty();
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}

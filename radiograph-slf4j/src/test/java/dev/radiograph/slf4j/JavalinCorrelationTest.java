package dev.radiograph.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import dev.radiograph.javalin.RadiographPlugin;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A real Javalin server on a random port: 1,000 requests, every handler line with its own request's ids. */
class JavalinCorrelationTest {
  @Test
  void aThousandRequestsOnJavalinShowNoStaleOrForeignId() throws Exception {
    LogbackCorrelationTest.configureLogbackOnce();
    String tag = "javalin";
    int requests = 1_000;
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().tracingName("javalin-logs").build()) {
      Javalin app = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.startup.startupWatcherEnabled = false;
        config.registerPlugin(new RadiographPlugin(recorder));
        config.routes.get("/work", ctx -> {
          String n = ctx.queryParam("n");
          LogbackCorrelationTest.LOG.info("{} segment-{}", tag, n);
          recorder.trace("db", () -> LogbackCorrelationTest.LOG.info("{} db-{}", tag, n));
          ctx.result(n);
        });
      });
      app.start("127.0.0.1", 0);
      try {
        HttpClient client = HttpClient.newHttpClient();
        Map<String, String> traceOfRequest = new HashMap<>();
        for (int batch = 0; batch < requests; batch += 8) {
          List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
          for (int n = batch; n < batch + 8; n++) {
            URI uri = URI.create("http://127.0.0.1:" + app.port() + "/work?n=" + n);
            sent.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
          }
          for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answered = response.join();
            String header = answered.headers().firstValue(TraceHeader.HEADER_NAME).orElseThrow();
            traceOfRequest.put(answered.body(), TraceHeader.parse(header).root().toString());
          }
        }
        List<JsonNode> documents = daemon.receive(requests, LogbackCorrelationTest.WAIT);
        assertThat(documents).hasSize(requests);
        Map<String, JsonNode> byTrace = new HashMap<>();
        documents.forEach(d -> byTrace.put(d.get("trace_id").asText(), d));

        List<LogLine> lines = LogLine.read(LogbackCorrelationTest.file, tag);
        assertThat(lines).hasSize(2 * requests);
        List<LogLine> wrong = new ArrayList<>();
        for (LogLine line : lines) {
          String[] kindAndRequest = line.label().split("-");
          String traceId = traceOfRequest.get(kindAndRequest[1]);
          JsonNode segment = byTrace.get(traceId);
          String entityId = kindAndRequest[0].equals("db")
              ? UdpDaemon.subsegments(segment).get(0).get("id").asText()
              : segment.get("id").asText();
          if (!LogbackCorrelationTest.carries(line, traceId, entityId)) {
            wrong.add(line);
          }
        }
        assertThat(wrong).isEmpty();
      } finally {
        app.stop();
      }
    }
  }
}

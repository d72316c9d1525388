package dev.radiograph.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 500 requests in flight at once give 500 separate traces, each segment holding only its own
 * request's work: nothing crosses between requests that share Jetty's threads.
 */
class ConcurrentRequestsTest {
  private static final int REQUESTS = 500;

  @Test
  @Timeout(60)
  void concurrentRequestsGiveSeparateTracesWithNothingCrossed() throws Exception {
    try (TracedServer server = TracedServer.start((config, recorder) -> {
      config.registerPlugin(new RadiographPlugin(recorder));
      config.routes.get("/items/{id}", ctx -> {
        String id = ctx.pathParam("id");
        recorder.trace("item-" + id, () -> Thread.sleep(5)); // keeps requests overlapping
        recorder.currentSegment().putAnnotation("item", id);
        ctx.result(id);
      });
    })) {
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/items/" + i)))
            .timeout(Duration.ofSeconds(30)).build();
        responses.add(TracedServer.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).get(45, TimeUnit.SECONDS);

      Map<String, String> itemByTrace = new HashMap<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> response = responses.get(i).get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Integer.toString(i));
        itemByTrace.put(TracedServer.rootOf(response), Integer.toString(i));
      }
      assertThat(itemByTrace).as("distinct trace ids answered").hasSize(REQUESTS);

      List<JsonNode> documents = server.daemon.receive(REQUESTS, Duration.ofSeconds(20));
      assertThat(documents).hasSize(REQUESTS);
      Set<String> segmentIds = new HashSet<>();
      for (JsonNode segment : documents) {
        assertThat(segment.has("type")).as("only whole segments").isFalse();
        String item = itemByTrace.get(segment.get("trace_id").asText());
        assertThat(item).as("a segment of a trace this test answered").isNotNull();
        assertThat(segment.at("/http/request/url").asText()).isEqualTo(server.url("/items/" + item));
        assertThat(segment.at("/annotations/item").asText()).isEqualTo(item);
        assertThat(segment.at("/annotations/route").asText()).isEqualTo("/items/{id}");
        assertThat(segment.get("subsegments")).hasSize(1);
        assertThat(segment.at("/subsegments/0/name").asText()).isEqualTo("item-" + item);
        segmentIds.add(segment.get("id").asText());
      }
      assertThat(segmentIds).hasSize(REQUESTS);
    }
  }
}

package dev.radiograph.javalin;

import static dev.radiograph.javalin.TracedServer.child;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.context.TracedExecutors;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Javalin's {@code useVirtualThreads}: requests run on virtual threads (Java 21+; the build runs
 * this again on Java 25), with the same segments, and future stages on a virtual-thread executor
 * carry the context.
 */
class VirtualThreadsTest {
  private static final int REQUESTS = 100;

  @Test
  @Timeout(60)
  void requestsOnVirtualThreadsAreTracedSeparately() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
    AtomicReference<ExecutorService> virtualThreads = new AtomicReference<>();
    try (TracedServer server = TracedServer.start((config, recorder) -> {
      config.concurrency.useVirtualThreads = true;
      config.registerPlugin(new RadiographPlugin(recorder));
      ExecutorService executor = TracedExecutors.newVirtualThreadPerTaskExecutor(recorder);
      virtualThreads.set(executor);
      config.routes.get("/work/{id}", ctx -> {
        String id = ctx.pathParam("id");
        recorder.currentSegment().putAnnotation("handler_virtual", isVirtual());
        ctx.future(() -> CompletableFuture
            .supplyAsync(() -> recorder.trace("stage-" + id, () -> isVirtual()), executor)
            .thenAccept(virtual -> ctx.result(id + ":" + virtual)));
      });
    })) {
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/work/" + i)))
            .timeout(Duration.ofSeconds(30)).build();
        responses.add(TracedServer.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).get(45, TimeUnit.SECONDS);
      Map<String, String> idByTrace = new HashMap<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> response = responses.get(i).get();
        assertThat(response.body()).isEqualTo(i + ":true");
        idByTrace.put(TracedServer.rootOf(response), Integer.toString(i));
      }

      List<JsonNode> segments = server.daemon.receive(REQUESTS, Duration.ofSeconds(20));
      assertThat(segments).hasSize(REQUESTS);
      for (JsonNode segment : segments) {
        String id = idByTrace.get(segment.get("trace_id").asText());
        assertThat(id).isNotNull();
        assertThat(segment.at("/annotations/handler_virtual").asBoolean()).isTrue();
        assertThat(segment.at("/annotations/route").asText()).isEqualTo("/work/{id}");
        assertThat(segment.at("/http/request/url").asText()).endsWith("/work/" + id);
        child(segment, "stage-" + id);
      }
    } finally {
      if (virtualThreads.get() != null) {
        virtualThreads.get().shutdownNow();
      }
    }
  }

  /** {@code Thread.currentThread().isVirtual()}, which a Java 17 build cannot name. */
  private static boolean isVirtual() {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}

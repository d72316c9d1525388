package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * 1,000 requests interleaved on the reactive application's Netty event loops, each with a
 * {@code delayElement} hop and a {@code WebClient} call to a second local server: every request
 * is its own trace, and nothing crosses (each call under its own request's segment, the
 * downstream server seeing that trace, the code seeing that segment).
 */
class WebFluxConcurrencyTest {
  private static final int REQUESTS = 1_000;
  private static final int CONCURRENCY = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ReactiveCatalog catalog;
  private static UdpDaemon daemon;
  private static DirectoryServer directory;

  @BeforeAll
  static void start() throws Exception {
    catalog = ReactiveCatalog.start("radiograph.startup-segment=false");
    daemon = catalog.daemon;
    directory = catalog.directory;
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void aThousandInterleavedRequestsGiveAThousandTracesWithNothingCrossed() throws Exception {
    Map<Integer, String> traceOf = new HashMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      traceOf.put(i, TraceId.create().toString());
    }
    // The socket is read while the load runs, so that no datagram waits in (or overflows) its buffer.
    Thread receiver = new Thread(() -> {
      try {
        daemon.receive(REQUESTS, Duration.ofSeconds(90));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "udp-receiver");
    receiver.start();

    ConnectionProvider connections = ConnectionProvider.builder("load")
        .maxConnections(CONCURRENCY).pendingAcquireMaxCount(REQUESTS).build();
    HttpClient client = HttpClient.create(connections).baseUrl(catalog.base());
    Map<Integer, JsonNode> bodies;
    try {
      bodies = Flux.range(0, REQUESTS)
          .flatMap(i -> client
              .headers(headers -> headers.set(TraceHeader.HEADER_NAME, "Root=" + traceOf.get(i) + ";Sampled=1"))
              .get().uri("/users/" + i)
              .responseSingle((response, body) -> {
                assertThat(response.status().code()).isEqualTo(200);
                return body.asString();
              })
              .map(body -> Map.entry(i, read(body))), CONCURRENCY)
          .collectMap(Map.Entry::getKey, Map.Entry::getValue)
          .block(Duration.ofSeconds(120));
    } finally {
      connections.disposeLater().block(Duration.ofSeconds(5));
    }
    receiver.join(Duration.ofSeconds(100).toMillis());

    assertThat(bodies).hasSize(REQUESTS);
    Map<String, JsonNode> segmentOf = new HashMap<>();
    for (JsonNode document : daemon.documents()) {
      assertThat(segmentOf.put(document.get("trace_id").asText(), document)).as("one document per trace").isNull();
    }
    assertThat(segmentOf).hasSize(REQUESTS);
    Set<String> callIds = new HashSet<>();
    for (int i = 0; i < REQUESTS; i++) {
      String traceId = traceOf.get(i);
      JsonNode segment = segmentOf.get(traceId);
      assertThat(segment).as("segment of request %d", i).isNotNull();
      assertThat(segment.has("in_progress")).isFalse();
      assertThat(segment.at("/http/request/url").asText()).endsWith("/users/" + i);
      assertThat(segment.at("/annotations/route").asText()).isEqualTo("/users/{id}");
      List<JsonNode> calls = UdpDaemon.subsegments(segment);
      assertThat(calls).as("calls of request %d", i).hasSize(1);
      JsonNode call = calls.get(0);
      assertThat(call.at("/http/request/url").asText()).endsWith("/directory/" + i);
      assertThat(callIds.add(call.get("id").asText())).isTrue();

      TraceHeader seen = TraceHeader.parse(directory.seen(String.valueOf(i)).traceHeader());
      assertThat(seen.root().toString()).isEqualTo(traceId);
      assertThat(seen.parentId()).isEqualTo(call.get("id").asText());

      JsonNode body = bodies.get(i);
      assertThat(body.get("user").asText()).isEqualTo(String.valueOf(i));
      assertThat(body.get("current_trace").asText()).isEqualTo(traceId);
      assertThat(body.get("directory_saw").asText()).contains("Root=" + traceId);
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(body, e);
    }
  }
}

package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.context.TracedExecutors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many requests at once: each gets its own trace and nothing lands under another's segment. */
class ConcurrencyTest {
  private static final int REQUESTS = 200;

  /** One simulated request: a segment with subsegments, some nested, all tagged with its number. */
  private static void request(Recorder recorder, int number) {
    recorder.beginSegment("request-" + number);
    recorder.currentSegment().putAnnotation("request", number);
    for (int i = 0; i < 3; i++) {
      Subsegment sub = recorder.beginSubsegment("step");
      sub.putAnnotation("request", number);
      recorder.trace("inner", () -> {
        recorder.currentSubsegment().putAnnotation("request", number);
        Thread.yield();
      });
      recorder.endSubsegment();
    }
    recorder.endSegment();
  }

  private static void assertSeparateTraces(List<JsonNode> docs) {
    assertThat(docs).hasSize(REQUESTS);
    Set<String> traceIds = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    for (JsonNode doc : docs) {
      traceIds.add(doc.get("trace_id").asText());
      int number = doc.at("/annotations/request").asInt();
      numbers.add(number);
      assertThat(doc.get("name").asText()).isEqualTo("request-" + number);
      assertThat(doc.get("subsegments")).hasSize(3);
      for (JsonNode step : doc.get("subsegments")) {
        assertThat(step.at("/annotations/request").asInt()).isEqualTo(number);
        assertThat(step.get("subsegments")).hasSize(1);
        assertThat(step.at("/subsegments/0/annotations/request").asInt()).isEqualTo(number);
      }
    }
    assertThat(traceIds).hasSize(REQUESTS);
    assertThat(numbers).hasSize(REQUESTS);
  }

  private static List<JsonNode> runAll(UdpDaemon daemon, Recorder recorder, ExecutorService pool) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      int number = i;
      futures.add(pool.submit(() -> request(recorder, number)));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    recorder.flush(Duration.ofSeconds(10));
    return daemon.receive(REQUESTS, Duration.ofSeconds(10));
  }

  @Test
  void twoHundredRequestsOnEightThreads() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().build()) {
      assertSeparateTraces(runAll(daemon, recorder, Executors.newFixedThreadPool(8)));
    }
  }

  @Test
  void twoHundredRequestsOnVirtualThreads() throws Exception {
    assumeTrue(TracedExecutors.virtualThreadsAvailable(), "virtual threads need Java 21+");
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().build()) {
      assertSeparateTraces(runAll(daemon, recorder, TracedExecutors.newVirtualThreadPerTaskExecutor(recorder)));
    }
  }

  @Test
  void oneSegmentWithSubsegmentsFromEightThreads() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().build()) {
      Segment segment = recorder.beginSegment("fan-out");
      ExecutorService pool = TracedExecutors.wrap(Executors.newFixedThreadPool(8), recorder);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        futures.add(pool.submit(() -> recorder.trace("task", sub -> {
          sub.putAnnotation("n", n);
          recorder.trace("nested", () -> recorder.currentSubsegment().putAnnotation("n", n));
        })));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(10));
      List<JsonNode> docs = daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(1000));
      TraceTree tree = TraceTree.of(docs).assertNoDuplicates();
      List<JsonNode> tasks = tree.named("task");
      assertThat(tasks).hasSize(200);
      assertThat(tree.named("nested")).hasSize(200);
      Set<Integer> numbers = new HashSet<>();
      for (JsonNode task : tasks) {
        assertThat(tree.parentOf(task)).isEqualTo(segment.id());
        numbers.add(task.at("/annotations/n").asInt());
      }
      for (JsonNode nested : tree.named("nested")) {
        JsonNode task = tree.byId.get(tree.parentOf(nested));
        assertThat(task.get("name").asText()).isEqualTo("task");
        assertThat(nested.at("/annotations/n").asInt()).isEqualTo(task.at("/annotations/n").asInt());
      }
      assertThat(numbers).hasSize(200);
    }
  }
}

package dev.radiograph.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The current entity follows work into executors, future stages and virtual threads. */
class ContextPropagationTest {
  private Recorder recorder;

  @BeforeEach
  void start() {
    recorder = Recorder.builder()
        .environment(Map.of())
        .systemProperties(new Properties())
        .daemonAddress("127.0.0.1:9")
        .sampling(false)
        .build();
  }

  @AfterEach
  void stop() {
    recorder.setCurrentEntity(null);
    recorder.close();
  }

  @Test
  void wrappedExecutorServiceCarriesTheSubmittersEntityAndRestoresTheWorkers() throws Exception {
    ExecutorService pool = TracedExecutors.wrap(Executors.newSingleThreadExecutor(), recorder);
    try {
      Segment segment = recorder.beginSegment("request");
      Subsegment sub = recorder.beginSubsegment("parent");
      Entity seen = pool.submit(recorder::currentEntity).get(5, TimeUnit.SECONDS);
      Subsegment child = pool.submit(() -> recorder.trace("child", s -> s)).get(5, TimeUnit.SECONDS);
      assertThat(seen).isSameAs(sub);
      assertThat(child.parent()).isSameAs(sub);
      recorder.endSubsegment();
      recorder.endSegment();
      // The worker thread is back to "no entity" after the tasks.
      assertThat(pool.submit(recorder::currentEntity).get(5, TimeUnit.SECONDS)).isNull();
      assertThat(segment.isInProgress()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void completableFutureStagesRunWithTheCapturedEntity() throws Exception {
    Segment segment = recorder.beginSegment("request");
    ContextSnapshot snapshot = recorder.captureContext();
    java.util.concurrent.Executor executor = snapshot.executor(ForkJoinPool.commonPool());
    AtomicReference<Entity> inStage = new AtomicReference<>();
    String result = CompletableFuture.supplyAsync(() -> recorder.trace("fetch", () -> "data"), executor)
        .thenApplyAsync(value -> {
          inStage.set(recorder.currentEntity());
          return value.toUpperCase();
        }, executor)
        .thenApply(snapshot.wrapFunction(value -> recorder.trace("transform", () -> value + "!")))
        .get(5, TimeUnit.SECONDS);
    assertThat(result).isEqualTo("DATA!");
    assertThat(inStage.get()).isSameAs(segment);
    String json = recorder.toJson(segment);
    assertThat(json).contains("\"name\":\"fetch\"").contains("\"name\":\"transform\"");
    recorder.endSegment();
  }

  @Test
  void snapshotScopeRestoresThePreviousEntity() {
    Segment first = recorder.beginSegment("first");
    ContextSnapshot snapshot = recorder.captureContext();
    recorder.setCurrentEntity(null);
    try (ContextSnapshot.Scope scope = snapshot.attach()) {
      assertThat(recorder.currentEntity()).isSameAs(first);
    }
    assertThat(recorder.currentEntity()).isNull();
    snapshot.run(() -> assertThat(recorder.currentSegment()).isSameAs(first));
    assertThat(recorder.currentEntity()).isNull();
  }

  @Test
  void virtualThreadsCarryTheEntity() throws Exception {
    assumeTrue(TracedExecutors.virtualThreadsAvailable(), "virtual threads need Java 21+");
    ExecutorService virtual = TracedExecutors.newVirtualThreadPerTaskExecutor(recorder);
    try {
      Segment segment = recorder.beginSegment("request");
      AtomicReference<Boolean> isVirtual = new AtomicReference<>();
      Subsegment child = virtual.submit(() -> {
        isVirtual.set((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
        return recorder.trace("on-virtual-thread", s -> s);
      }).get(5, TimeUnit.SECONDS);
      assertThat(isVirtual.get()).isTrue();
      assertThat(child.parent()).isSameAs(segment);
      recorder.endSegment();
    } finally {
      virtual.shutdown();
    }
  }

  @Test
  void virtualThreadExecutorExplainsWhenUnavailable() {
    assumeFalse(TracedExecutors.virtualThreadsAvailable());
    assertThatThrownBy(() -> TracedExecutors.newVirtualThreadPerTaskExecutor(recorder))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Java 21");
  }

  @Test
  void threadFactoryThreadsStartWithTheCreatorsEntity() throws Exception {
    Segment segment = recorder.beginSegment("request");
    AtomicReference<Entity> seen = new AtomicReference<>();
    Thread thread = TracedExecutors.wrapThreadFactory(Thread::new, recorder).newThread(() -> seen.set(recorder.currentEntity()));
    thread.start();
    thread.join(5000);
    assertThat(seen.get()).isSameAs(segment);
    recorder.endSegment();
  }

}

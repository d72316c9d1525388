package dev.radiograph.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.context.TracedExecutors;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link VertxSegmentContext} on real Vert.x contexts and off them. */
class VertxSegmentContextTest {
  private static Vertx vertx;

  private final VertxSegmentContext context = VertxSegmentContext.create();
  private Recorder recorder;
  private Entity first;
  private Entity second;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void entities() {
    recorder = Recorder.builder()
        .segmentContext(context)
        .environment(Map.of())
        .systemProperties(new Properties())
        .enabled(false)
        .build();
    first = recorder.beginSegment("first");
    second = recorder.beginSegment("second");
    context.set(null);
  }

  @AfterEach
  void close() {
    recorder.close();
  }

  @Test
  void offVertxTheEntityBelongsToTheThread() throws Exception {
    context.set(first);
    AtomicReference<Entity> onOtherThread = new AtomicReference<>(second);
    Thread other = new Thread(() -> onOtherThread.set(context.current()));
    other.start();
    other.join();

    assertThat(context.current()).isSameAs(first);
    assertThat(onOtherThread.get()).isNull();
  }

  @Test
  void onAContextTheEntityFollowsTimersFuturesAndExecuteBlocking() throws Exception {
    CompletableFuture<List<Object>> seen = new CompletableFuture<>();
    Context vertxContext = vertx.getOrCreateContext();
    vertxContext.runOnContext(start -> {
      context.set(first);
      List<Object> observed = Collections.synchronizedList(new ArrayList<>());
      vertx.setTimer(5, timer -> {
        observed.add(context.current());
        vertx.executeBlocking(() -> {
          observed.add(Thread.currentThread().getName().startsWith("vert.x-worker"));
          return context.current();
        }).onComplete(blocking -> {
          observed.add(blocking.result());
          observed.add(context.current());
          seen.complete(observed);
        });
      });
    });

    assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly(first, true, first, first);
    assertThat(context.current()).as("the test thread's own slot is untouched").isNull();
  }

  @Test
  void twoRequestContextsOnOneEventLoopKeepTheirOwnEntities() throws Exception {
    // What Vert.x does for each HTTP request: a duplicate of the event loop's context.
    ContextInternal eventLoop = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal requestA = eventLoop.duplicate();
    ContextInternal requestB = eventLoop.duplicate();
    onContext(requestA, () -> context.set(first));
    onContext(requestB, () -> context.set(second));

    List<Object> fromA = onContext(requestA, () -> List.of(context.current(), Thread.currentThread()));
    List<Object> fromB = onContext(requestB, () -> List.of(context.current(), Thread.currentThread()));
    List<Object> fromEventLoop = onContext(eventLoop, () -> Collections.singletonList(context.current()));

    assertThat(fromA.get(1)).as("one event loop thread").isSameAs(fromB.get(1));
    assertThat(fromA.get(0)).isSameAs(first);
    assertThat(fromB.get(0)).isSameAs(second);
    assertThat(fromEventLoop.get(0)).isNull();
  }

  @Test
  void aPinnedContextStandsForTheThreadsContext() throws Exception {
    ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    onContext(request, () -> context.set(first));
    context.set(second);

    assertThat(context.callOn(request, context::current)).isSameAs(first);
    context.runOn(request, () -> context.set(null));
    assertThat(VertxSegmentContext.entityOn(request)).isNull();
    assertThat(context.current()).as("the thread's own slot is untouched").isSameAs(second);
  }

  @Test
  void coreHelpersCarryTheEntityFromAContextToOtherThreads() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      ExecutorService traced = TracedExecutors.wrap(pool, recorder);
      CompletableFuture<Entity> inPool = new CompletableFuture<>();
      CompletableFuture<Entity> inStage = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(start -> {
        context.set(first);
        traced.execute(() -> inPool.complete(context.current()));
        CompletableFuture.supplyAsync(context::current, recorder.captureContext().executor(pool))
            .whenComplete((entity, error) -> inStage.complete(entity));
      });

      assertThat(inPool.get(10, TimeUnit.SECONDS)).isSameAs(first);
      assertThat(inStage.get(10, TimeUnit.SECONDS)).isSameAs(first);
      assertThat(pool.submit(context::current).get(10, TimeUnit.SECONDS))
          .as("the pool's thread is given back clean").isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T onContext(Context vertxContext, java.util.function.Supplier<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertxContext.runOnContext(v -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  private static void onContext(Context vertxContext, Runnable work) throws Exception {
    onContext(vertxContext, () -> {
      work.run();
      return null;
    });
  }
}

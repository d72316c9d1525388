package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.sampling.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntityListenerTest {
  private UdpDaemon daemon;

  @BeforeEach
  void start() throws IOException {
    daemon = new UdpDaemon();
    ServiceLoadedListener.EVENTS.clear();
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void isToldOfBeginEndAndEveryChangeOfTheCurrentEntity() throws Exception {
    Events events = new Events();
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(events).build()) {
      Segment segment = recorder.beginSegment("api");
      Subsegment sub = recorder.beginSubsegment("db");
      recorder.endSubsegment();
      recorder.endSegment();
      assertThat(events.lines).containsExactly(
          "current api", "begin api",
          "current db", "begin db",
          "current api", "end db",
          "current -", "end api");
      assertThat(sub.isInProgress()).isFalse();
      assertThat(segment.isInProgress()).isFalse();
      assertThat(daemon.receive(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void seesContextCarriedToAnotherThreadAndRestoredAfter() throws Exception {
    Events events = new Events();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(events).build()) {
      recorder.beginSegment("api");
      ContextSnapshot snapshot = recorder.captureContext();
      events.lines.clear();
      pool.submit(snapshot.wrap(() -> events.lines.add("work"))).get(5, TimeUnit.SECONDS);
      assertThat(events.lines).containsExactly("current api", "work", "current -");
      recorder.endSegment();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unsampledRequestsAreReportedWithTheirIds() {
    Events events = new Events();
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(events)
        .sampler(Sampler.neverSample()).build()) {
      Segment segment = recorder.beginSegment("api");
      recorder.beginSubsegment("db").close();
      recorder.endSegment();
      assertThat(events.entities).hasSize(2).allSatisfy(e -> assertThat(e).isSameAs(segment));
      assertThat(events.lines).containsExactly("current -unsampled", "begin -unsampled", "current -", "end -unsampled");
    }
  }

  @Test
  void aFailingListenerNeverReachesTheApplicationNorSilencesTheOthers() throws Exception {
    Events events = new Events();
    EntityListener failing = new EntityListener() {
      @Override
      public void onBegin(Entity entity) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onCurrentChanged(Entity current) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(failing).listener(events).build()) {
      recorder.trace("work", () -> "done");
      recorder.beginSegment("api");
      recorder.trace("work", () -> "done");
      recorder.endSegment();
      assertThat(events.lines).contains("begin api", "begin work", "end work", "end api");
      assertThat(daemon.receive(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void listenersOnTheClassPathAreFoundWithServiceLoader() {
    try (Recorder recorder = daemon.recorderBuilder().build()) {
      recorder.beginSegment("found");
      recorder.endSegment();
    }
    assertThat(ServiceLoadedListener.EVENTS).containsExactly("begin found", "end found");
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).build()) {
      recorder.beginSegment("not-found");
      recorder.endSegment();
    }
    assertThat(ServiceLoadedListener.EVENTS).containsExactly("begin found", "end found");
    ServiceLoadedListener configured = new ServiceLoadedListener();
    try (Recorder recorder = daemon.recorderBuilder().listener(configured).build()) {
      recorder.beginSegment("once");
      recorder.endSegment();
    }
    // Added in code, it replaces the one the class path provides: told once, not twice.
    assertThat(ServiceLoadedListener.EVENTS).containsExactly("begin found", "end found", "begin once", "end once");
  }

  @Test
  void aListenerCanDeclineTheRecordersSettings() {
    Events events = new Events();
    EntityListener logCorrelationLike = new EntityListener() {
      @Override
      public boolean isEnabled(dev.radiograph.config.RadiographConfig config) {
        return config.logCorrelation();
      }

      @Override
      public void onBegin(Entity entity) {
        events.lines.add("begin " + entity.name());
      }
    };
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(logCorrelationLike)
        .setting(dev.radiograph.config.SettingKey.LOG_CORRELATION, "false").build()) {
      recorder.beginSegment("off");
      recorder.endSegment();
    }
    try (Recorder recorder = daemon.recorderBuilder().loadListeners(false).listener(logCorrelationLike).build()) {
      recorder.beginSegment("on");
      recorder.endSegment();
    }
    assertThat(events.lines).containsExactly("begin on");
  }

  /** Registered in this module's test resources, META-INF/services. */
  public static final class ServiceLoadedListener implements EntityListener {
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public void onBegin(Entity entity) {
      EVENTS.add("begin " + entity.name());
    }

    @Override
    public void onEnd(Entity entity) {
      EVENTS.add("end " + entity.name());
    }
  }

  private static final class Events implements EntityListener {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Entity> entities = new CopyOnWriteArrayList<>();

    @Override
    public void onBegin(Entity entity) {
      lines.add("begin " + label(entity));
      entities.add(entity);
    }

    @Override
    public void onEnd(Entity entity) {
      lines.add("end " + label(entity));
      entities.add(entity);
    }

    @Override
    public void onCurrentChanged(Entity current) {
      lines.add("current " + (current == null ? "-" : label(current)));
    }

    private static String label(Entity entity) {
      return entity.isRecording() ? entity.name() : "-unsampled";
    }
  }
}

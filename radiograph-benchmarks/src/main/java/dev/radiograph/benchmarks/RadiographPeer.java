package dev.radiograph.benchmarks;

import dev.radiograph.RecorderBuilder;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.context.ThreadLocalSegmentContext;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.emit.EmitterStats;
import dev.radiograph.sampling.Sampler;
import dev.radiograph.slf4j.Slf4jLogCorrelation;
import dev.radiograph.vertx.RadiographVertx;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Radiograph recording {@link Workload}'s request. */
final class RadiographPeer implements AutoCloseable {
  private final Recorder recorder;
  private final String label;
  private long requests; // for the teardown summary only

  private RadiographPeer(Recorder recorder, String label) {
    this.recorder = recorder;
    this.label = label;
  }

  /** Every request sampled, documents sent to {@code daemonAddress}. */
  static RadiographPeer sampled(String daemonAddress, String label) {
    return new RadiographPeer(builder(daemonAddress).sampling(false).build(), label);
  }

  /** {@link #sampled}, with SLF4J's MDC kept in step with the current entity or not. */
  static RadiographPeer sampledLogCorrelation(String daemonAddress, boolean on, String label) {
    RecorderBuilder builder = builder(daemonAddress).sampling(false);
    if (on) {
      builder.listener(new Slf4jLogCorrelation());
    }
    return new RadiographPeer(builder.build(), label);
  }

  /** No request sampled: the sampler says no to every one. */
  static RadiographPeer unsampled(String daemonAddress, String label) {
    return new RadiographPeer(builder(daemonAddress).sampler(Sampler.neverSample()).build(), label);
  }

  /**
   * Every request sampled, segments named {@value Workload#SERVICE}: the recorder an integration
   * (servlet filter, JDBC wrapper, HTTP client) is given.
   */
  static RadiographPeer sampledService(String daemonAddress, String label) {
    return new RadiographPeer(serviceBuilder(daemonAddress).build(), label);
  }

  /** The builder of {@link #sampledService}'s recorder, for a benchmark that adds a setting. */
  static RecorderBuilder serviceBuilder(String daemonAddress) {
    return configure(threadLocalBuilder(), daemonAddress).tracingName(Workload.SERVICE).sampling(false);
  }

  /** {@link #sampledService}, with the current entity on the Vert.x context, for radiograph-vertx. */
  static RadiographPeer sampledVertxService(String daemonAddress, String label) {
    return new RadiographPeer(configure(RadiographVertx.recorderBuilder(), daemonAddress)
        .tracingName(Workload.SERVICE).sampling(false).build(), label);
  }

  private static RecorderBuilder builder(String daemonAddress) {
    return configure(threadLocalBuilder(), daemonAddress);
  }

  /**
   * {@code Recorder.builder()} as an application without Vert.x gets it: this jar has
   * radiograph-vertx on its class path, which would otherwise make every recorder keep its entity
   * on the Vert.x context (a second thread-local lookup per access).
   */
  static RecorderBuilder threadLocalBuilder() {
    return Recorder.builder().segmentContext(new ThreadLocalSegmentContext());
  }

  private static RecorderBuilder configure(RecorderBuilder builder, String daemonAddress) {
    return builder
        .daemonAddress(daemonAddress)
        .contextMissing(ContextMissingStrategy.IGNORE_ERROR)
        // radiograph-slf4j is on this jar's class path for LogCorrelationBenchmark: the other
        // benchmarks measure the recorder without it.
        .loadListeners(false)
        // Neither this machine's environment nor -D flags may change what is measured.
        .environment(Map.of())
        .systemProperties(new Properties());
  }

  /** One request: segment, three subsegments with two annotations each, all ended. */
  Segment request() {
    requests++;
    Recorder recorder = this.recorder;
    Segment segment = recorder.beginSegment(Workload.SEGMENT);
    for (String name : Workload.SUBSEGMENTS) {
      Subsegment subsegment = recorder.beginSubsegment(name);
      subsegment.putAnnotation(Workload.STRING_KEY, Workload.STRING_VALUE);
      subsegment.putAnnotation(Workload.NUMBER_KEY, Workload.NUMBER_VALUE);
      recorder.endSubsegment();
    }
    recorder.endSegment();
    return segment;
  }

  /** The recorder, for an integration to record with. */
  Recorder recorder() {
    return recorder;
  }

  /** Fails the run if a request left something current on this thread. */
  void checkContextClean() {
    if (recorder.currentEntity() != null) {
      throw new IllegalStateException(label + ": an entity is still current: " + recorder.currentEntity());
    }
  }

  @Override
  public void close() {
    recorder.flush(Duration.ofSeconds(2));
    EmitterStats stats = recorder.emitterStats();
    // requests counts request() calls; an integration's requests are counted by its benchmark.
    System.out.println("[" + label + "] " + (requests > 0 ? "requests=" + requests + ", " : "") + "emitter " + stats);
    recorder.close();
  }
}

package dev.radiograph.benchmarks;

import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.emit.EmitterStats;
import dev.radiograph.sampling.Sampler;
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

  /** No request sampled: the sampler says no to every one. */
  static RadiographPeer unsampled(String daemonAddress, String label) {
    return new RadiographPeer(builder(daemonAddress).sampler(Sampler.neverSample()).build(), label);
  }

  private static Recorder.Builder builder(String daemonAddress) {
    return Recorder.builder()
        .daemonAddress(daemonAddress)
        .contextMissing(ContextMissingStrategy.IGNORE_ERROR)
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
    System.out.println("[" + label + "] requests=" + requests + ", emitter " + stats);
    recorder.close();
  }
}

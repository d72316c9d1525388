package dev.radiograph.benchmarks;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.NoSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.SamplingStrategy;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramSocket;

/**
 * The official aws-xray-sdk-java (aws-xray-recorder-sdk-core) recording {@link Workload}'s
 * request, configured at its fastest: the fast (non-secure) id generator, which its own javadoc
 * recommends, and its UDP emitter (which sends on the calling thread) to a local socket.
 *
 * <p>The segment is begun with {@code beginSegmentWithSampling}: plain {@code beginSegment}
 * never asks the sampling strategy (the servlet filter asks it separately), while Radiograph's
 * {@code beginSegment} always does. So both peers pay for a sampling decision per request.
 *
 * <p>Unsampled ({@link NoSamplingStrategy}), the SDK begins a no-op segment; each
 * {@code beginSubsegment} then makes a new no-op subsegment current, {@code putAnnotation} is
 * ignored and {@code endSubsegment}/{@code endSegment} restore and clear the context. The calls
 * are the same as in the sampled case, as they are for Radiograph.
 */
final class AwsXrayPeer implements AutoCloseable {
  private final AWSXRayRecorder recorder;
  private final Emitter emitter;
  private long requests; // for the teardown summary only

  private AwsXrayPeer(AWSXRayRecorder recorder, Emitter emitter) {
    this.recorder = recorder;
    this.emitter = emitter;
  }

  /** Every request sampled, segments sent to 127.0.0.1:{@code port}. */
  static AwsXrayPeer sampled(int port) throws IOException {
    return build(port, new AllSamplingStrategy());
  }

  /** No request sampled. */
  static AwsXrayPeer unsampled(int port) throws IOException {
    return build(port, new NoSamplingStrategy());
  }

  private static AwsXrayPeer build(int port, SamplingStrategy sampling) throws IOException {
    DaemonConfiguration daemon = new DaemonConfiguration();
    // setUDPAndTCPAddress ignores AWS_XRAY_DAEMON_ADDRESS and
    // -Dcom.amazonaws.xray.emitters.daemonAddress, so this machine's settings cannot redirect it.
    if (!daemon.setUDPAndTCPAddress("127.0.0.1:" + port)) {
      throw new IllegalStateException("aws-xray-sdk rejected the daemon address 127.0.0.1:" + port);
    }
    Emitter emitter = Emitter.create(daemon); // a UDPEmitter
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard()
        .withSamplingStrategy(sampling)
        .withEmitter(emitter)
        .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
        .withFastIdGenerator()
        .build();
    return new AwsXrayPeer(recorder, emitter);
  }

  /** One request: segment, three subsegments with two annotations each, all ended. */
  Segment request() {
    requests++;
    AWSXRayRecorder recorder = this.recorder;
    Segment segment = recorder.beginSegmentWithSampling(Workload.SEGMENT);
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
    if (recorder.getTraceEntity() != null) {
      throw new IllegalStateException("aws-xray-sdk: an entity is still current: " + recorder.getTraceEntity());
    }
  }

  /** The recorder, for an integration (the SDK's servlet filter, a manual subsegment) to record with. */
  AWSXRayRecorder recorder() {
    return recorder;
  }

  long requests() {
    return requests;
  }

  /**
   * Closes the UDPEmitter's socket. The SDK offers no way to (UDPEmitter has no close()), so this
   * reaches its private field; if that ever fails, the socket goes when the forked VM ends. (The
   * emitter that the recorder's constructor makes before ours replaces it is left to the GC.)
   */
  @Override
  public void close() {
    try {
      Field socket = emitter.getClass().getDeclaredField("daemonSocket");
      socket.setAccessible(true);
      ((DatagramSocket) socket.get(emitter)).close();
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("aws-xray-sdk: could not close the UDPEmitter's socket: " + e);
    }
  }
}

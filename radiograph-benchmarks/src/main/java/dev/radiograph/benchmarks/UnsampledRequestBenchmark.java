package dev.radiograph.benchmarks;

import dev.radiograph.Segment;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (b) The same request, with the sampler saying no: the same calls as {@link
 * TracedRequestBenchmark}, nothing recorded or sent. Radiograph's goal here is at most 50 ns
 * and 32 bytes per request. OpenTelemetry ({@code alwaysOff}) is shown for reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnsampledRequestBenchmark {

  @State(Scope.Benchmark)
  public static class RadiographState {
    DiscardingUdpDaemon sink;
    RadiographPeer peer;

    @Setup
    public void setUp() throws IOException {
      sink = new DiscardingUdpDaemon();
      peer = RadiographPeer.unsampled(sink.address(), "radiograph unsampled");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      peer.close();
      sink.close();
    }
  }

  @State(Scope.Benchmark)
  public static class AwsXrayState {
    DiscardingUdpDaemon sink;
    AwsXrayPeer peer;

    @Setup
    public void setUp() throws IOException {
      sink = new DiscardingUdpDaemon();
      peer = AwsXrayPeer.unsampled(sink.port());
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      System.out.println("[aws-xray-sdk unsampled] requests=" + peer.requests() + ", " + sink.received());
      peer.close();
      sink.close();
    }
  }

  @State(Scope.Benchmark)
  public static class OpenTelemetryState {
    DiscardingUdpDaemon sink;
    OpenTelemetryPeer peer;

    @Setup
    public void setUp() throws IOException {
      sink = new DiscardingUdpDaemon();
      peer = OpenTelemetryPeer.unsampled(sink.port());
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      peer.close();
      sink.close();
    }
  }

  @Benchmark
  public Segment radiograph(RadiographState state) {
    return state.peer.request();
  }

  @Benchmark
  public com.amazonaws.xray.entities.Segment awsXraySdk(AwsXrayState state) {
    return state.peer.request();
  }

  @Benchmark
  public Span openTelemetry(OpenTelemetryState state) {
    return state.peer.request();
  }
}

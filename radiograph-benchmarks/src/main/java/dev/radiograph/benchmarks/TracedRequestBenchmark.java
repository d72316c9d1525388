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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (a) One sampled, traced request, end to end on the request thread: begin a segment, three
 * subsegments with two annotations each, end them, end the segment, serialize, hand to the
 * emitter. The daemon is a real UDP socket on 127.0.0.1 drained by a background thread.
 *
 * <p>Radiograph also runs with no daemon at all (a closed port, an unresolvable host), to show
 * that the request path does not depend on the daemon being there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracedRequestBenchmark {

  @State(Scope.Benchmark)
  public static class RadiographState {
    /**
     * Where the daemon is: {@code local} a listening, drained socket; {@code closed-port} a
     * 127.0.0.1 port nothing listens on; {@code unresolvable-host} {@value Workload#UNRESOLVABLE_DAEMON}.
     */
    @Param({"local", "closed-port", "unresolvable-host"})
    public String daemon;

    DiscardingUdpDaemon sink;
    RadiographPeer peer;

    @Setup
    public void setUp() throws IOException {
      String address;
      switch (daemon) {
        case "local":
          sink = new DiscardingUdpDaemon();
          address = sink.address();
          break;
        case "closed-port":
          address = "127.0.0.1:" + DiscardingUdpDaemon.closedPort();
          break;
        case "unresolvable-host":
          address = Workload.UNRESOLVABLE_DAEMON;
          break;
        default:
          throw new IllegalArgumentException("unknown daemon variant: " + daemon);
      }
      peer = RadiographPeer.sampled(address, "radiograph daemon=" + daemon);
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      peer.close();
      if (sink != null) {
        System.out.println("[radiograph daemon=" + daemon + "] " + sink.received());
        sink.close();
      }
    }
  }

  @State(Scope.Benchmark)
  public static class AwsXrayState {
    DiscardingUdpDaemon sink;
    AwsXrayPeer peer;

    @Setup
    public void setUp() throws IOException {
      sink = new DiscardingUdpDaemon();
      peer = AwsXrayPeer.sampled(sink.port());
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      System.out.println("[aws-xray-sdk] requests=" + peer.requests() + ", " + sink.received());
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
      peer = OpenTelemetryPeer.sampled(sink.port());
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws IOException {
      peer.close();
      System.out.println("[opentelemetry-sdk] " + sink.received());
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

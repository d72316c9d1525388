package dev.radiograph.benchmarks;

import dev.radiograph.Segment;
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
import org.slf4j.MDC;

/**
 * What log correlation adds to a request (segment and three subsegments, {@link Workload}):
 * radiograph-slf4j keeping Logback's MDC in step with the current entity, on against off, in one
 * run. Eight changes of the current entity per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogCorrelationBenchmark {

  @State(Scope.Benchmark)
  public static class RadiographState {
    /** {@code on}: the MDC listener added; {@code off}: a recorder without listeners. */
    @Param({"off", "on"})
    public String mdc;

    RadiographPeer peer;

    /**
     * Documents go to a closed loopback port: the request path is the same, and no datagram
     * traffic shares the two cores with it, so the difference between on and off shows.
     */
    @Setup
    public void setUp() throws IOException {
      String closedPort = "127.0.0.1:" + DiscardingUdpDaemon.closedPort();
      peer = RadiographPeer.sampledLogCorrelation(closedPort, mdc.equals("on"), "radiograph mdc=" + mdc);
      MDC.put("app", "benchmark"); // an application key, as a real MDC has
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
      if (MDC.get("traceId") != null) {
        throw new IllegalStateException("a request left its trace id in the MDC");
      }
    }

    @TearDown
    public void tearDown() {
      peer.close();
    }
  }

  @Benchmark
  public Segment radiograph(RadiographState state) {
    return state.peer.request();
  }
}

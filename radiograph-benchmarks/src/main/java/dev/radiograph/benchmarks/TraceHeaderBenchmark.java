package dev.radiograph.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (c) Parse an incoming {@code X-Amzn-Trace-Id} and write it back out, as a service does for every
 * traced request it forwards.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceHeaderBenchmark {

  @State(Scope.Benchmark)
  public static class Input {
    /** Not final, so the JIT cannot fold the parse away. */
    public String header = Workload.TRACE_HEADER;

    @Setup
    public void checkBothRoundTrip() {
      check("radiograph", dev.radiograph.TraceHeader.parse(header).toString());
      check("aws-xray-sdk", com.amazonaws.xray.entities.TraceHeader.fromString(header).toString());
    }

    private void check(String peer, String written) {
      if (!header.equals(written)) {
        throw new IllegalStateException(peer + " wrote " + written + " for " + header);
      }
    }
  }

  @Benchmark
  public String radiograph(Input input) {
    return dev.radiograph.TraceHeader.parse(input.header).toString();
  }

  @Benchmark
  public String awsXraySdk(Input input) {
    return com.amazonaws.xray.entities.TraceHeader.fromString(input.header).toString();
  }
}

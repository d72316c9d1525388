package dev.radiograph.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request overhead of radiograph-vertx on a Vert.x 5 HTTP server: a hello-world server on
 * 127.0.0.1 and a random port (its own Vert.x instance), called through one keep-alive connection
 * ({@link KeepAliveClient}). Each invocation pipelines {@value Workload#PIPELINED_REQUESTS}
 * requests, so the time per operation (one request) is the server's work on it rather than the
 * loopback's wake-up latency, which hid a microsecond's difference in a single round trip.
 *
 * <ul>
 *   <li>{@code untraced}: Vert.x with no tracer, the baseline;
 *   <li>{@code radiograph}: Radiograph as Vert.x's tracer ({@code RadiographTracerFactory} with a
 *       recorder from {@code RadiographVertx.recorderBuilder()}, the README's second form, so that
 *       neither this machine's environment nor {@code -D} flags change what is measured) and
 *       {@code RadiographVertx.withResponseHeader} around the handler, sampling every request and
 *       sending to a {@link DiscardingUdpDaemon}.
 * </ul>
 *
 * <p>The overhead is the traced row minus the untraced row. The benchmark thread never blocks on
 * a Vert.x future without a timeout: servers start and stop through {@link HelloServers#await}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@OperationsPerInvocation(Workload.PIPELINED_REQUESTS)
public class VertxServerBenchmark {

  @State(Scope.Thread)
  public static class UntracedState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      peer = ServerPeer.untraced("vertx untraced", HelloServers.vertx(null, 0));
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
    }
  }

  @State(Scope.Thread)
  public static class RadiographState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      DiscardingUdpDaemon daemon = new DiscardingUdpDaemon();
      RadiographPeer radiograph = RadiographPeer.sampledVertxService(daemon.address(), "radiograph vertx");
      peer = ServerPeer.traced("vertx radiograph-vertx", HelloServers.vertx(radiograph.recorder(), 0),
          radiograph::close, daemon);
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
    }
  }

  @Benchmark
  public int untraced(UntracedState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }

  @Benchmark
  public int radiograph(RadiographState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }
}

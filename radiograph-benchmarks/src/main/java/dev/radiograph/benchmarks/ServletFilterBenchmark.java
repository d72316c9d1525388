package dev.radiograph.benchmarks;

import com.amazonaws.xray.jakarta.servlet.AWSXRayServletFilter;
import com.amazonaws.xray.strategy.jakarta.SegmentNamingStrategy;
import dev.radiograph.servlet.RadiographFilter;
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
 * Per-request overhead of a tracing servlet filter, in a real container: an embedded Tomcat (the
 * version Spring Boot 4.0.7 brings) on 127.0.0.1 and a random port with one hello-world servlet,
 * called through one keep-alive connection ({@link KeepAliveClient}) that pipelines
 * {@value Workload#PIPELINED_REQUESTS} requests per invocation, so the time per operation (one
 * request) is Tomcat's work on it rather than the loopback's wake-up latency. The filter is first
 * in the chain, as each SDK documents:
 *
 * <ul>
 *   <li>{@code untraced}: no filter, the baseline;
 *   <li>{@code radiograph}: radiograph-servlet's {@link RadiographFilter};
 *   <li>{@code awsXraySdk}: the official SDK's {@link AWSXRayServletFilter} (aws-xray-recorder-sdk-core),
 *       with a fixed segment name and the recorder of {@link AwsXrayPeer}.
 * </ul>
 *
 * <p>Both traced servers sample every request and send each segment to a {@link
 * DiscardingUdpDaemon}. The overhead of a filter is its row minus the untraced row. B/op counts
 * every thread of the VM: Tomcat's, the client's and the emitters'. {@link
 * ServletFilterCallBenchmark} measures the filter call alone, outside a container.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@OperationsPerInvocation(Workload.PIPELINED_REQUESTS)
public class ServletFilterBenchmark {

  @State(Scope.Thread)
  public static class UntracedState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      peer = ServerPeer.untraced("tomcat untraced", HelloServers.tomcat(null, 0));
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
      RadiographPeer radiograph = RadiographPeer.sampledService(daemon.address(), "radiograph servlet");
      peer = ServerPeer.traced("tomcat radiograph-servlet",
          HelloServers.tomcat(new RadiographFilter(radiograph.recorder()), 0), radiograph::close, daemon);
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
    }
  }

  @State(Scope.Thread)
  public static class AwsXrayState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      DiscardingUdpDaemon daemon = new DiscardingUdpDaemon();
      AwsXrayPeer awsXray = AwsXrayPeer.sampled(daemon.port());
      AWSXRayServletFilter filter =
          new AWSXRayServletFilter(SegmentNamingStrategy.fixed(Workload.SERVICE), awsXray.recorder());
      peer = ServerPeer.traced("tomcat aws-xray-sdk filter", HelloServers.tomcat(filter, 0), awsXray::close, daemon);
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

  @Benchmark
  public int awsXraySdk(AwsXrayState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }
}

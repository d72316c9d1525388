package dev.radiograph.benchmarks;

import com.amazonaws.xray.jakarta.servlet.AWSXRayServletFilter;
import com.amazonaws.xray.strategy.jakarta.SegmentNamingStrategy;
import dev.radiograph.servlet.RadiographFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What a tracing servlet filter costs a request, measured on the filter call itself: each
 * operation builds a request (a GET with the headers a browser behind a load balancer sends) and
 * a response, and runs the chain: the filter, if any, then a servlet that writes
 * {@value HelloServers#BODY}. The request and response are Spring's
 * {@code MockHttpServletRequest}/{@code MockHttpServletResponse}, complete Servlet 6
 * implementations that need no container.
 *
 * <ul>
 *   <li>{@code untraced}: the chain without a filter, the baseline;
 *   <li>{@code radiograph}: radiograph-servlet's {@link RadiographFilter};
 *   <li>{@code awsXraySdk}: the official SDK's {@link AWSXRayServletFilter}.
 * </ul>
 *
 * <p>RATIONALE: {@link ServletFilterBenchmark} measures the same filters in a real Tomcat, but a
 * loopback round trip of ~50 µs, whose wake-up latencies change with what else the machine runs,
 * hides a difference of a microsecond (on a 2-core machine the traced rows even came out faster).
 * Here the overhead is the filter's own work: reading the request, the segment, the response
 * header, the end, and handing the segment to the emitter (B/op includes the emitter thread's
 * serialization; both traced peers sample every request and send to a {@link DiscardingUdpDaemon}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServletFilterCallBenchmark {
  private static final byte[] BODY = HelloServers.BODY.getBytes(StandardCharsets.US_ASCII);
  private static final FilterChain SERVLET = (request, response) -> {
    response.setContentType("text/plain");
    response.setContentLength(BODY.length);
    response.getOutputStream().write(BODY);
  };

  @State(Scope.Thread)
  public static class UntracedState {}

  @State(Scope.Thread)
  public static class RadiographState {
    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Filter filter;

    @Setup
    public void setUp() throws Exception {
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph servlet filter");
      filter = new RadiographFilter(peer.recorder());
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
      daemon.close();
    }
  }

  @State(Scope.Thread)
  public static class AwsXrayState {
    DiscardingUdpDaemon daemon;
    AwsXrayPeer peer;
    Filter filter;

    @Setup
    public void setUp() throws Exception {
      daemon = new DiscardingUdpDaemon();
      peer = AwsXrayPeer.sampled(daemon.port());
      filter = new AWSXRayServletFilter(SegmentNamingStrategy.fixed(Workload.SERVICE), peer.recorder());
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
      daemon.close();
    }
  }

  private static MockHttpServletRequest request() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/42");
    request.setServerName("shop.example.com");
    request.setRemoteAddr("10.0.3.7");
    request.addHeader("Host", "shop.example.com");
    request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
    request.addHeader("X-Forwarded-For", "203.0.113.9, 10.0.0.2");
    request.addHeader("Accept", "text/html");
    return request;
  }

  @Benchmark
  public int untraced(UntracedState state) throws IOException, ServletException {
    MockHttpServletResponse response = new MockHttpServletResponse();
    SERVLET.doFilter(request(), response);
    return response.getStatus();
  }

  @Benchmark
  public int radiograph(RadiographState state) throws IOException, ServletException {
    MockHttpServletResponse response = new MockHttpServletResponse();
    state.filter.doFilter(request(), response, SERVLET);
    return response.getStatus();
  }

  @Benchmark
  public int awsXraySdk(AwsXrayState state) throws IOException, ServletException {
    MockHttpServletResponse response = new MockHttpServletResponse();
    state.filter.doFilter(request(), response, SERVLET);
    return response.getStatus();
  }
}

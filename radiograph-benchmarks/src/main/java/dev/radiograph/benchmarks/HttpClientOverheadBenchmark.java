package dev.radiograph.benchmarks;

import dev.radiograph.Recorder;
import dev.radiograph.httpclient.TracedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-call overhead of the {@code java.net.http} integration: one {@code send} of a {@code GET}
 * to a local server, HTTP/1.1 on a kept-alive connection, with the plain client ({@code
 * untraced}, the baseline) and with {@code TracedHttpClient} ({@code radiograph}: a {@code remote}
 * subsegment with the {@code http} block and the trace headers on the request), at 100% sampling
 * with documents sent to a {@link DiscardingUdpDaemon}.
 *
 * <p>The target is an untraced Vert.x hello-world server ({@link HelloServers#vertx}), which
 * answers at once ({@code TCP_NODELAY}): against the JDK's {@code HttpServer}, used before, every
 * call met a Nagle/delayed-ACK stall of some 40 ms, which buried the overhead. Each peer has its
 * own server, in its own fork.
 *
 * <p>The segment, as in {@link JdbcQueryBenchmark}: each operation is one call, in requests of
 * {@value Workload#CALLS_PER_SEGMENT} calls ({@code @OperationsPerInvocation}); the traced peer
 * begins a segment around each request's calls, so a call pays for its subsegment and a tenth of
 * a segment. The overhead per call is the traced row minus the untraced row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class HttpClientOverheadBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A plain HTTP/1.1 client (no upgrade attempt to h2c, which Vert.x would accept). */
  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  static HttpRequest newRequest(HelloServer target) {
    return HttpRequest.newBuilder(URI.create(target.url())).timeout(TIMEOUT).build();
  }

  static int send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status != 200) {
      throw new IllegalStateException("the target answered " + status);
    }
    return status;
  }

  @State(Scope.Thread)
  public static class UntracedState {
    HelloServer target;
    HttpClient client;
    HttpRequest request;

    @Setup
    public void setUp() throws Exception {
      target = HelloServers.vertx(null, 0);
      client = newClient();
      request = newRequest(target);
      send(client, request);
    }

    @TearDown
    public void tearDown() throws Exception {
      target.close();
    }
  }

  @State(Scope.Thread)
  public static class RadiographState {
    HelloServer target;
    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Recorder recorder;
    HttpClient client;
    HttpRequest request;

    @Setup
    public void setUp() throws Exception {
      target = HelloServers.vertx(null, 0);
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph http-client");
      recorder = peer.recorder();
      client = TracedHttpClient.wrap(newClient(), recorder);
      request = newRequest(target);
      // Proof that calls are traced and sent before anything is measured.
      recorder.beginSegment(Workload.SEGMENT);
      send(client, request);
      recorder.endSegment();
      daemon.expectDatagrams(1, "radiograph http-client");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void tearDown() throws Exception {
      try {
        target.close();
      } finally {
        peer.close();
        System.out.println("[radiograph http-client] " + daemon.received());
        daemon.close();
      }
    }
  }

  /** The calls of one request. */
  static void calls(HttpClient client, HttpRequest request, Blackhole blackhole) throws IOException, InterruptedException {
    for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
      blackhole.consume(send(client, request));
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void untraced(UntracedState state, Blackhole blackhole) throws Exception {
    calls(state.client, state.request, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void radiograph(RadiographState state, Blackhole blackhole) throws Exception {
    Recorder recorder = state.recorder;
    recorder.beginSegment(Workload.SEGMENT);
    try {
      calls(state.client, state.request, blackhole);
    } finally {
      recorder.endSegment();
    }
  }
}

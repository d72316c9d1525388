package dev.radiograph.benchmarks;

import dev.radiograph.Recorder;
import dev.radiograph.httpclient5.RadiographHttpClient5;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-call overhead of radiograph-apache-httpclient5: one {@code GET} with Apache HttpClient 5's
 * classic client to a local server (HTTP/1.1, a kept-alive pooled connection, the body read),
 * built plain ({@code untraced}, the baseline) and built by a builder given to
 * {@code RadiographHttpClient5.instrument} ({@code radiograph}: a {@code remote} subsegment with
 * the {@code http} block, both trace headers on the request), at 100% sampling with documents
 * sent to a {@link DiscardingUdpDaemon}. OpenTelemetry's {@code opentelemetry-apache-httpclient-5.2}
 * library instrumentation is not a peer here: it does not resolve from this build's repository.
 *
 * <p>Two targets ({@code target}): {@value #LOOPBACK}, as in {@link HttpClientOverheadBenchmark}, an
 * untraced Vert.x hello-world server ({@code TCP_NODELAY}), one per peer in its own fork; and
 * {@value #IN_PROCESS}, the client's whole exec chain (redirect, retry, protocol, request
 * interceptors) with its connect step replaced by one that answers at once, as
 * {@link HttpClientWrapperBenchmark} does for the JDK client: no socket, so the instrumentation's
 * cost stands out of the network's noise. Each operation is one call, in requests of
 * {@value Workload#CALLS_PER_SEGMENT} calls, the traced peer beginning a segment around each
 * request's calls. The overhead per call is the traced row minus the untraced row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class ApacheHttpClientBenchmark {
  static final String LOOPBACK = "loopback";
  static final String IN_PROCESS = "in-process";

  /** A builder as an application configures one: pooled connections, bounded timeouts. */
  static HttpClientBuilder newBuilder() {
    return HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(10))
            .setSocketTimeout(Timeout.ofSeconds(10))
            .build())
        .build());
  }

  static int get(CloseableHttpClient client, String url) throws IOException {
    int status = client.execute(new HttpGet(url), response -> {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    });
    if (status != 200) {
      throw new IllegalStateException("the target answered " + status);
    }
    return status;
  }

  /** The client, its target, and for the traced peer the recorder and the daemon it sends to. */
  @State(Scope.Thread)
  public abstract static class Peer {
    @Param({LOOPBACK, IN_PROCESS})
    public String target;

    HelloServer server; // null in-process
    CloseableHttpClient client;
    String url;

    /** Builds the client from {@code builder} (with the connect step replaced in-process) and calls once. */
    void start(HttpClientBuilder builder) throws Exception {
      if (IN_PROCESS.equals(target)) {
        builder.replaceExecInterceptor(ChainElement.CONNECT.name(), (request, scope, chain) -> {
          BasicClassicHttpResponse response = new BasicClassicHttpResponse(200);
          response.setEntity(new StringEntity(HelloServers.BODY, ContentType.TEXT_PLAIN));
          return response;
        });
        url = "http://127.0.0.1:9/"; // never connected to
      } else {
        server = HelloServers.vertx(null, 0);
        url = server.url();
      }
      client = builder.build();
      get(client, url);
    }

    @TearDown
    public void stop() throws Exception {
      try {
        client.close();
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  @State(Scope.Thread)
  public static class UntracedState extends Peer {
    @Setup
    public void setUp() throws Exception {
      start(newBuilder());
    }
  }

  @State(Scope.Thread)
  public static class RadiographState extends Peer {
    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Recorder recorder;

    @Setup
    public void setUp() throws Exception {
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph apache-httpclient5");
      recorder = peer.recorder();
      start(RadiographHttpClient5.instrument(newBuilder(), recorder));
      // Proof that calls are traced and sent before anything is measured.
      recorder.beginSegment(Workload.SEGMENT);
      get(client, url);
      recorder.endSegment();
      daemon.expectDatagrams(1, "radiograph apache-httpclient5");
    }

    @TearDown(Level.Iteration)
    public void checkContextClean() {
      peer.checkContextClean();
    }

    @TearDown
    public void closeRecorder() throws IOException {
      peer.close();
      System.out.println("[radiograph apache-httpclient5] " + daemon.received());
      daemon.close();
    }
  }

  /** The calls of one request. */
  static void calls(Peer state, Blackhole blackhole) throws IOException {
    for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
      blackhole.consume(get(state.client, state.url));
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void untraced(UntracedState state, Blackhole blackhole) throws Exception {
    calls(state, blackhole);
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void radiograph(RadiographState state, Blackhole blackhole) throws Exception {
    Recorder recorder = state.recorder;
    recorder.beginSegment(Workload.SEGMENT);
    try {
      calls(state, blackhole);
    } finally {
      recorder.endSegment();
    }
  }
}

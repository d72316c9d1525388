package dev.radiograph.benchmarks;

import dev.radiograph.Recorder;
import dev.radiograph.httpclient.TracedHttpClient;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code TracedHttpClient} adds to a call, without the network: the wrapped client is one
 * that answers 200 at once ({@link AnsweringClient}), so the difference between {@code untraced}
 * (that client) and {@code radiograph} (it wrapped) is the wrapper's own work: the subsegment,
 * the request copied with {@code X-Amzn-Trace-Id} and {@code traceparent}, the {@code http}
 * block, the end. Calls come {@value Workload#CALLS_PER_SEGMENT} to a segment, as in {@link
 * HttpClientOverheadBenchmark}, which measures the same over a real loopback connection, where the
 * JDK client's own ~150 µs per call hides this difference in its error bars.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpClientWrapperBenchmark {
  private static final HttpRequest REQUEST = HttpRequest.newBuilder(URI.create("http://catalog.internal:8080/products/42"))
      .header("Accept", "application/json")
      .build();

  @State(Scope.Thread)
  public static class UntracedState {
    final HttpClient client = new AnsweringClient();
  }

  @State(Scope.Thread)
  public static class RadiographState {
    DiscardingUdpDaemon daemon;
    RadiographPeer peer;
    Recorder recorder;
    HttpClient client;

    @Setup
    public void setUp() throws Exception {
      daemon = new DiscardingUdpDaemon();
      peer = RadiographPeer.sampledService(daemon.address(), "radiograph http-client wrapper");
      recorder = peer.recorder();
      client = TracedHttpClient.wrap(new AnsweringClient(), recorder);
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
      daemon.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void untraced(UntracedState state, Blackhole blackhole) throws Exception {
    for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
      blackhole.consume(state.client.send(REQUEST, HttpResponse.BodyHandlers.discarding()).statusCode());
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workload.CALLS_PER_SEGMENT)
  public void radiograph(RadiographState state, Blackhole blackhole) throws Exception {
    state.recorder.beginSegment(Workload.SEGMENT);
    try {
      for (int i = 0; i < Workload.CALLS_PER_SEGMENT; i++) {
        blackhole.consume(state.client.send(REQUEST, HttpResponse.BodyHandlers.discarding()).statusCode());
      }
    } finally {
      state.recorder.endSegment();
    }
  }

  /** A client whose every call is answered 200 with no body at once, without a connection. */
  static final class AnsweringClient extends HttpClient {
    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException {
      return new Answer<>(request);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return CompletableFuture.completedFuture(new Answer<>(request));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
      return sendAsync(request, handler);
    }
  }

  /** 200, no headers, no body. */
  private static final class Answer<T> implements HttpResponse<T> {
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);
    private final HttpRequest request;

    Answer(HttpRequest request) {
      this.request = request;
    }

    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return NO_HEADERS;
    }

    @Override
    public T body() {
      return null;
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}

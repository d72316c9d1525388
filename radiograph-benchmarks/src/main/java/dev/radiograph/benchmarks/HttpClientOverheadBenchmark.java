package dev.radiograph.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.radiograph.Recorder;
import dev.radiograph.httpclient.TracedHttpClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
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
 * Per-request overhead of the {@code java.net.http} integration against no tracing, in one run,
 * at 100% sampling with documents sent to a drained local UDP socket: a request to a local
 * server with the plain client, and with {@code TracedHttpClient} inside a segment.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class HttpClientOverheadBenchmark {
  private DiscardingUdpDaemon daemon;
  private Recorder recorder;
  private HttpServer jdkServer;
  private HttpClient plainClient;
  private HttpClient tracedClient;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    daemon = new DiscardingUdpDaemon();
    recorder = Recorder.builder().tracingName("bench").daemonAddress("127.0.0.1:" + daemon.port())
        .sampling(false).environment(Map.of()).systemProperties(new Properties()).build();

    jdkServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    jdkServer.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = {'o', 'k'};
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jdkServer.start();
    plainClient = HttpClient.newHttpClient();
    tracedClient = TracedHttpClient.wrap(HttpClient.newHttpClient(), recorder);
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jdkServer.getAddress().getPort() + "/")).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    jdkServer.stop(0);
    recorder.close();
    daemon.close();
  }

  @Benchmark
  public int httpClientPlain() throws Exception {
    return plainClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Benchmark
  public int httpClientTraced() throws Exception {
    recorder.beginSegment("bench");
    try {
      return tracedClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } finally {
      recorder.endSegment();
    }
  }
}

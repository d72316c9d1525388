package dev.radiograph.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.radiograph.sampling.CentralizedSampler;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import dev.radiograph.sampling.SamplingRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * The sampling decision for one request, on the request path: local rules (X-Ray's default rule
 * and a rules file's first-match list) and centralized rules fetched from a local proxy. Goal:
 * at most 100 ns and no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class SamplingBenchmark {
  private static final String RULES = "{\"SamplingRuleRecords\":["
      + rule("health", 1, 0, 0.0, "/health") + "," + rule("api", 2, 5, 0.05, "/api/*") + ","
      + rule("Default", 10000, 1, 0.05, "*") + "],\"NextToken\":null}";

  private LocalSampler defaultRule;
  private LocalSampler rulesFile;
  private CentralizedSampler centralized;
  private HttpServer proxy;
  private SamplingRequest request;

  private static String rule(String name, int priority, int reservoir, double rate, String path) {
    return "{\"SamplingRule\":{\"RuleName\":\"" + name + "\",\"Priority\":" + priority + ",\"FixedRate\":" + rate
        + ",\"ReservoirSize\":" + reservoir + ",\"ServiceName\":\"*\",\"ServiceType\":\"*\",\"Host\":\"*\","
        + "\"HTTPMethod\":\"*\",\"URLPath\":\"" + path + "\",\"ResourceARN\":\"*\",\"Version\":1,\"Attributes\":{}}}";
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    request = SamplingRequest.builder().serviceName("orders").host("orders.example.com").method("GET")
        .urlPath("/api/orders/42").build();
    defaultRule = LocalSampler.defaultRules();
    rulesFile = LocalSampler.of(List.of(
        SamplingRule.builder("health").priority(1).fixedTarget(0).rate(0).urlPath("/health").build(),
        SamplingRule.builder("static").priority(2).fixedTarget(0).rate(0).urlPath("/static/*").build(),
        SamplingRule.builder("api").priority(3).fixedTarget(5).rate(0.05).host("*.example.com").httpMethod("GET")
            .urlPath("/api/*").build()), LocalSampler.DEFAULT_RULE);
    proxy = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    proxy.createContext("/GetSamplingRules", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = RULES.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    proxy.start();
    centralized = new CentralizedSampler("http://127.0.0.1:" + proxy.getAddress().getPort(),
        LocalSampler.defaultRules(), System::currentTimeMillis);
    if (!centralized.pollRules()) {
      throw new IllegalStateException("the benchmark's rules proxy did not answer");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    centralized.close();
    proxy.stop(0);
  }

  @Benchmark
  public SamplingDecision localDefaultRule() {
    return defaultRule.sample(request);
  }

  @Benchmark
  public SamplingDecision localRulesFirstMatch() {
    return rulesFile.sample(request);
  }

  @Benchmark
  public SamplingDecision centralizedRules() {
    return centralized.sample(request);
  }
}

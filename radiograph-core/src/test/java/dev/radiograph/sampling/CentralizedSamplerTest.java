package dev.radiograph.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Centralized sampling against a real HTTP server on loopback that plays the daemon's proxy. */
class CentralizedSamplerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long START = 1_700_000_000_000L;

  private final AtomicLong clock = new AtomicLong(START);
  private final List<JsonNode> targetRequests = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> rulesResponse = new AtomicReference<>();
  private final AtomicReference<String> targetsResponse = new AtomicReference<>("{\"SamplingTargetDocuments\":[]}");
  private HttpServer server;
  private String baseUrl;

  @BeforeEach
  void startProxy() throws IOException {
    rulesResponse.set(rules(0.0));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/GetSamplingRules", exchange -> {
      exchange.getRequestBody().readAllBytes();
      respond(exchange, rulesResponse.get());
    });
    server.createContext("/SamplingTargets", exchange -> {
      targetRequests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      respond(exchange, targetsResponse.get());
    });
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopProxy() {
    server.stop(0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String rules(double ordersRate) {
    return "{\"SamplingRuleRecords\":["
        + "{\"SamplingRule\":{\"RuleName\":\"orders\",\"RuleARN\":\"arn:aws:xray:::sampling-rule/orders\","
        + "\"ResourceARN\":\"*\",\"Priority\":1,\"FixedRate\":" + ordersRate + ",\"ReservoirSize\":5,"
        + "\"ServiceName\":\"*\",\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"/orders*\","
        + "\"Version\":1,\"Attributes\":{},\"SamplingRateBoost\":{\"MaxRate\":1.0,\"CooldownWindowMinutes\":1}},"
        + "\"CreatedAt\":1.7E9,\"ModifiedAt\":1.7E9},"
        + "{\"SamplingRule\":{\"RuleName\":\"Default\",\"Priority\":10000,\"FixedRate\":0.0,\"ReservoirSize\":1,"
        + "\"ServiceName\":\"*\",\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\","
        + "\"ResourceARN\":\"*\",\"Version\":1,\"Attributes\":{}}},"
        + "{\"SamplingRule\":{\"RuleName\":\"future\",\"Priority\":5,\"FixedRate\":1.0,\"ReservoirSize\":1,"
        + "\"ServiceName\":\"*\",\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\","
        + "\"ResourceARN\":\"*\",\"Version\":2}}"
        + "],\"NextToken\":null}";
  }

  private static SamplingRequest orders() {
    return SamplingRequest.builder().serviceName("shop").host("shop").method("POST").urlPath("/orders/7").build();
  }

  private static int sample(Sampler sampler, SamplingRequest request, int times) {
    int sampled = 0;
    for (int i = 0; i < times; i++) {
      if (sampler.sample(request).isSampled()) {
        sampled++;
      }
    }
    return sampled;
  }

  private CentralizedSampler sampler() {
    return new CentralizedSampler(baseUrl, Sampler.neverSample(), clock::get, false);
  }

  @Test
  void rulesAreFetchedOrderedAndUnknownVersionsSkipped() {
    CentralizedSampler sampler = sampler();
    assertThat(sampler.rules()).isEmpty();
    assertThat(sampler.sample(orders()).isSampled()).as("no rules yet: the fallback decides").isFalse();
    assertThat(sampler.pollRules()).isTrue();
    assertThat(sampler.rules()).extracting(SamplingRule::name).containsExactly("orders", "Default");
    assertThat(sampler.sample(orders()).ruleName()).isEqualTo("orders");
    assertThat(sampler.clientId()).matches("[0-9a-f]{24}");
  }

  @Test
  void borrowsThenFollowsTheQuotaAndStatisticsAddUpExactly() throws Exception {
    CentralizedSampler sampler = sampler();
    sampler.pollRules();

    // Before the first target: one request a second is borrowed.
    assertThat(sample(sampler, orders(), 10)).isEqualTo(1);
    clock.addAndGet(1000);
    assertThat(sample(sampler, orders(), 10)).isEqualTo(1);

    long ttl = START / 1000 + 60;
    targetsResponse.set("{\"SamplingTargetDocuments\":[{\"RuleName\":\"orders\",\"FixedRate\":0.0,"
        + "\"ReservoirQuota\":3,\"ReservoirQuotaTTL\":" + ttl + ",\"Interval\":5}],"
        + "\"LastRuleModification\":1.0,\"UnprocessedStatistics\":[]}");
    assertThat(sampler.pollTargets()).isEqualTo(5000);
    JsonNode first = statisticsFor(targetRequests.get(0), "orders");
    assertThat(first.get("RequestCount").asLong()).isEqualTo(20);
    assertThat(first.get("SampledCount").asLong()).as("borrowed requests count as borrowed only").isZero();
    assertThat(first.get("BorrowCount").asLong()).isEqualTo(2);
    assertThat(first.get("ClientID").asText()).isEqualTo(sampler.clientId());
    assertThat(first.get("Timestamp").asLong()).isEqualTo(START / 1000 + 1);

    // With a target: exactly the quota per second, each second.
    for (int second = 0; second < 5; second++) {
      clock.addAndGet(1000);
      assertThat(sample(sampler, orders(), 10)).as("second %d", second).isEqualTo(3);
    }
    sampler.pollTargets();
    JsonNode second = statisticsFor(targetRequests.get(1), "orders");
    assertThat(second.get("RequestCount").asLong()).isEqualTo(50);
    assertThat(second.get("SampledCount").asLong()).isEqualTo(15);
    assertThat(second.get("BorrowCount").asLong()).isZero();

    // After the quota's TTL the rule borrows again.
    clock.set((ttl + 1) * 1000);
    assertThat(sample(sampler, orders(), 10)).isEqualTo(1);
  }

  @Test
  void boostRaisesTheRateUntilItsTtlAndAnomaliesAreReported() throws Exception {
    CentralizedSampler sampler = sampler();
    sampler.pollRules();
    for (int i = 0; i < 20; i++) {
      SamplingDecision decision = sampler.sample(orders());
      sampler.requestEnded(decision, i < 4);
    }
    long boostTtl = START / 1000 + 30;
    targetsResponse.set("{\"SamplingTargetDocuments\":[{\"RuleName\":\"orders\",\"FixedRate\":0.0,"
        + "\"ReservoirQuota\":0,\"ReservoirQuotaTTL\":" + (START / 1000 + 600) + ",\"Interval\":10,"
        + "\"SamplingBoost\":{\"BoostRate\":1.0,\"BoostRateTTL\":" + boostTtl + "}}]}");
    sampler.pollTargets();
    JsonNode request = targetRequests.get(0);
    JsonNode boost = null;
    for (JsonNode doc : request.get("SamplingBoostStatisticsDocuments")) {
      if (doc.get("RuleName").asText().equals("orders")) {
        boost = doc;
      }
    }
    assertThat(boost).isNotNull();
    assertThat(boost.get("TotalCount").asLong()).isEqualTo(20);
    assertThat(boost.get("AnomalyCount").asLong()).isEqualTo(4);
    assertThat(boost.get("SampledAnomalyCount").asLong()).isEqualTo(1); // the one borrowed request
    assertThat(boost.get("ServiceName").asText()).as("the service's own name").isEqualTo("shop");

    clock.addAndGet(1000);
    assertThat(sample(sampler, orders(), 100)).as("boosted to 1.0").isEqualTo(100);
    clock.set((boostTtl + 1) * 1000);
    assertThat(sample(sampler, orders(), 100)).as("boost expired, rate 0, quota 0").isZero();
  }

  @Test
  void newerRuleModificationRefetchesTheRules() {
    CentralizedSampler sampler = sampler();
    sampler.pollRules();
    rulesResponse.set(rules(1.0));
    targetsResponse.set("{\"SamplingTargetDocuments\":[],\"LastRuleModification\":" + (START / 1000 + 10) + "}");
    sampler.pollTargets();
    clock.addAndGet(5000);
    assertThat(sample(sampler, orders(), 50)).isEqualTo(50);
  }

  @Test
  void daemonDownFallsBackToLocalRulesAndNeverWaits() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    LocalSampler local = LocalSampler.of(List.of(), SamplingRule.builder("local").fixedTarget(0).rate(1.0).build());
    CentralizedSampler sampler = new CentralizedSampler("http://127.0.0.1:" + closedPort, local, System::currentTimeMillis);
    try {
      for (int i = 0; i < 1000; i++) {
        SamplingDecision decision = sampler.sample(orders());
        assertThat(decision.ruleName()).isEqualTo("local");
      }
      assertThat(sampler.pollRules()).isFalse();
      assertThat(sampler.rules()).isEmpty();
    } finally {
      sampler.close();
    }
  }

  @Test
  void garbageFromTheProxyKeepsTheCurrentRules() {
    CentralizedSampler sampler = sampler();
    sampler.pollRules();
    rulesResponse.set("{not json");
    assertThat(sampler.pollRules()).isFalse();
    assertThat(sampler.rules()).hasSize(2);
    targetsResponse.set("[1,2,3]");
    sampler.sample(orders());
    sampler.pollTargets();
    // The statistics that could not be delivered are reported with the next successful call.
    targetsResponse.set("{}");
    sampler.pollTargets();
    assertThat(statisticsFor(targetRequests.get(1), "orders").get("RequestCount").asLong()).isEqualTo(1);
  }

  private static JsonNode statisticsFor(JsonNode request, String rule) {
    for (JsonNode doc : request.get("SamplingStatisticsDocuments")) {
      if (doc.get("RuleName").asText().equals(rule)) {
        return doc;
      }
    }
    throw new AssertionError("no statistics for " + rule + " in " + request);
  }
}

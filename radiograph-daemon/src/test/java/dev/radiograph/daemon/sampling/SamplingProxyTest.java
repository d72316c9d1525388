package dev.radiograph.daemon.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.SamplingRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The daemon's sampling API: rules, reservoir shares per client, statistics and boost. */
class SamplingProxyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  private SamplingProxy proxy() {
    SamplingRule orders = SamplingRule.builder("orders").priority(1).fixedTarget(5).rate(0.1)
        .urlPath("/orders*").boost(0.8, 2).build();
    return new SamplingProxy(List.of(orders, LocalSampler.DEFAULT_RULE), clock::get);
  }

  private static JsonNode call(byte[] response) throws Exception {
    return JSON.readTree(response);
  }

  private static byte[] targets(String client, long requests, long sampled, long anomalies) {
    return ("{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"orders\",\"ClientID\":\"" + client + "\","
        + "\"Timestamp\":1700000000,\"RequestCount\":" + requests + ",\"SampledCount\":" + sampled + ",\"BorrowCount\":0}],"
        + "\"SamplingBoostStatisticsDocuments\":[{\"RuleName\":\"orders\",\"ServiceName\":\"*\",\"Timestamp\":1700000000,"
        + "\"AnomalyCount\":" + anomalies + ",\"TotalCount\":" + requests + ",\"SampledAnomalyCount\":0}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rulesInXRayShapes() throws Exception {
    JsonNode rules = call(proxy().getSamplingRules("{}".getBytes(StandardCharsets.UTF_8)));
    JsonNode first = rules.at("/SamplingRuleRecords/0/SamplingRule");
    assertThat(first.get("RuleName").asText()).isEqualTo("orders");
    assertThat(first.get("ReservoirSize").asInt()).isEqualTo(5);
    assertThat(first.get("FixedRate").asDouble()).isEqualTo(0.1);
    assertThat(first.get("URLPath").asText()).isEqualTo("/orders*");
    assertThat(first.get("Version").asInt()).isEqualTo(1);
    assertThat(first.at("/SamplingRateBoost/MaxRate").asDouble()).isEqualTo(0.8);
    assertThat(rules.at("/SamplingRuleRecords/1/SamplingRule/RuleName").asText()).isEqualTo("Default");
    assertThat(rules.get("NextToken").isNull()).isTrue();
  }

  @Test
  void reservoirIsSharedBetweenActiveClientsAndStatisticsAddUp() throws Exception {
    SamplingProxy proxy = proxy();
    JsonNode alone = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 10, 5, 0)));
    assertThat(alone.at("/SamplingTargetDocuments/0/ReservoirQuota").asInt()).isEqualTo(5);
    assertThat(alone.at("/SamplingTargetDocuments/0/ReservoirQuotaTTL").asDouble()).isGreaterThan(clock.get() / 1000.0);
    assertThat(alone.at("/SamplingTargetDocuments/0/Interval").asInt()).isEqualTo(10);
    JsonNode second = call(proxy.samplingTargets(targets("bbbbbbbbbbbbbbbbbbbbbbbb", 20, 3, 0)));
    JsonNode first = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 1, 1, 0)));
    // 5 a second between two clients: 3 and 2.
    assertThat(first.at("/SamplingTargetDocuments/0/ReservoirQuota").asInt()
        + second.at("/SamplingTargetDocuments/0/ReservoirQuota").asInt()).isLessThanOrEqualTo(6);
    assertThat(first.at("/SamplingTargetDocuments/0/ReservoirQuota").asInt()).isEqualTo(3);
    assertThat(proxy.totals().get("orders")[0]).isEqualTo(31);
    assertThat(proxy.totals().get("orders")[1]).isEqualTo(9);
    // A client silent for over a minute no longer holds a share.
    clock.addAndGet(61_000);
    JsonNode later = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 0, 0, 0)));
    assertThat(later.at("/SamplingTargetDocuments/0/ReservoirQuota").asInt()).isEqualTo(5);
  }

  @Test
  void anomaliesBoostTheRateForTheCooldownWindow() throws Exception {
    SamplingProxy proxy = proxy();
    JsonNode calm = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 10, 1, 0)));
    assertThat(calm.at("/SamplingTargetDocuments/0/SamplingBoost").isMissingNode()).isTrue();
    JsonNode boosted = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 10, 1, 3)));
    assertThat(boosted.at("/SamplingTargetDocuments/0/SamplingBoost/BoostRate").asDouble()).isEqualTo(0.8);
    assertThat(boosted.at("/SamplingTargetDocuments/0/SamplingBoost/BoostRateTTL").asDouble())
        .isEqualTo(clock.get() / 1000.0 + 120);
    clock.addAndGet(121_000);
    JsonNode expired = call(proxy.samplingTargets(targets("aaaaaaaaaaaaaaaaaaaaaaaa", 10, 1, 0)));
    assertThat(expired.at("/SamplingTargetDocuments/0/SamplingBoost").isMissingNode()).isTrue();
  }

  @Test
  void unknownRulesAreReportedAndBadBodiesRejected() throws Exception {
    JsonNode result = call(proxy().samplingTargets(("{\"SamplingStatisticsDocuments\":[{\"RuleName\":\"nope\","
        + "\"ClientID\":\"c\",\"RequestCount\":1}]}").getBytes(StandardCharsets.UTF_8)));
    assertThat(result.at("/UnprocessedStatistics/0/RuleName").asText()).isEqualTo("nope");
    assertThatThrownBy(() -> proxy().samplingTargets("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

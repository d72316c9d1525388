package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.sampling.CentralizedSampler;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.SamplingRequest;
import dev.radiograph.sampling.SamplingRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.CreateSamplingRuleResponse;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;
import software.amazon.awssdk.services.xray.model.RuleLimitExceededException;
import software.amazon.awssdk.services.xray.model.SamplingRuleRecord;
import software.amazon.awssdk.services.xray.model.SamplingStatisticSummary;
import software.amazon.awssdk.services.xray.model.UpdateSamplingRuleResponse;

/**
 * CreateSamplingRule, UpdateSamplingRule, DeleteSamplingRule and GetSamplingStatisticSummaries,
 * through the AWS SDK v2's {@link XRayClient} against a daemon on a random port; what changes is
 * what an SDK's sampler gets at its next poll.
 */
class SamplingRulesApiTest {
  private Daemon daemon;
  private XRayClient xray;

  @BeforeEach
  void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    xray = XRayClient.builder()
        .endpointOverride(URI.create(daemon.baseUrl()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(10)))
        .build();
  }

  @AfterEach
  void stop() {
    xray.close();
    daemon.close();
  }

  private void createOrders() {
    xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("orders").priority(5).fixedRate(0.25)
        .reservoirSize(3).serviceName("shop").serviceType("*").host("*").httpMethod("POST")
        .urlPath("/orders*").resourceARN("*").version(1).attributes(Map.of("tier", "gold"))));
  }

  @Test
  void createdUpdatedAndDeletedRulesReachTheSdksAtTheirNextPoll() {
    CentralizedSampler sampler = new CentralizedSampler(daemon.baseUrl(), LocalSampler.defaultRules(), System::currentTimeMillis);
    try {
      assertThat(sampler.pollRules()).isTrue();
      assertThat(sampler.rules()).extracting(SamplingRule::name).containsExactly("Default");

      CreateSamplingRuleResponse created = xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("orders")
          .priority(5).fixedRate(0.25).reservoirSize(3).serviceName("shop").serviceType("*").host("*")
          .httpMethod("POST").urlPath("/orders*").resourceARN("*").version(1).attributes(Map.of("tier", "gold"))));
      SamplingRuleRecord record = created.samplingRuleRecord();
      assertThat(record.samplingRule().ruleARN()).endsWith(":sampling-rule/orders");
      assertThat(record.samplingRule().fixedRate()).isEqualTo(0.25);
      assertThat(record.samplingRule().attributes()).containsEntry("tier", "gold");
      assertThat(record.createdAt()).isNotNull().isEqualTo(record.modifiedAt());

      // The AWS SDK's own GetSamplingRules, and core's sampler at its next poll, see it first.
      assertThat(xray.getSamplingRules(r -> { }).samplingRuleRecords())
          .extracting(rec -> rec.samplingRule().ruleName()).containsExactly("orders", "Default");
      assertThat(sampler.pollRules()).isTrue();
      assertThat(sampler.rules()).extracting(SamplingRule::name).containsExactly("orders", "Default");
      SamplingRule polled = sampler.rules().get(0);
      assertThat(polled.rate()).isEqualTo(0.25);
      assertThat(polled.urlPath()).isEqualTo("/orders*");

      UpdateSamplingRuleResponse updated = xray.updateSamplingRule(r -> r.samplingRuleUpdate(u -> u
          .ruleARN(record.samplingRule().ruleARN()).fixedRate(0.5).urlPath("/checkout*")));
      assertThat(updated.samplingRuleRecord().samplingRule().fixedRate()).isEqualTo(0.5);
      assertThat(updated.samplingRuleRecord().samplingRule().httpMethod()).isEqualTo("POST"); // kept
      assertThat(sampler.pollRules()).isTrue();
      assertThat(sampler.rules().get(0).urlPath()).isEqualTo("/checkout*");
      assertThat(sampler.rules().get(0).rate()).isEqualTo(0.5);

      xray.updateSamplingRule(r -> r.samplingRuleUpdate(u -> u.ruleName("Default").fixedRate(0.1).reservoirSize(2)));
      assertThat(sampler.pollRules()).isTrue();
      assertThat(sampler.rules().get(1).rate()).isEqualTo(0.1);

      assertThat(xray.deleteSamplingRule(r -> r.ruleName("orders")).samplingRuleRecord().samplingRule().ruleName())
          .isEqualTo("orders");
      assertThat(sampler.pollRules()).isTrue();
      assertThat(sampler.rules()).extracting(SamplingRule::name).containsExactly("Default");
    } finally {
      sampler.close();
    }
  }

  @Test
  void summariesCountWhatTheSdksReport() {
    // Every request sampled (by the reservoir, borrowed, or by the rate), so that the counts are exact.
    xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("orders").priority(5).fixedRate(1.0)
        .reservoirSize(3).serviceName("shop").serviceType("*").host("*").httpMethod("POST")
        .urlPath("/orders*").resourceARN("*").version(1).attributes(Map.of("tier", "gold"))));
    CentralizedSampler sampler = new CentralizedSampler(daemon.baseUrl(), LocalSampler.defaultRules(), System::currentTimeMillis);
    try {
      assertThat(sampler.pollRules()).isTrue();
      SamplingRequest order = SamplingRequest.builder().serviceName("shop").host("h").method("POST")
          .urlPath("/orders/1").attributes(Map.of("tier", "gold")).build();
      int requests = 7;
      for (int i = 0; i < requests; i++) {
        assertThat(sampler.sample(order).ruleName()).isEqualTo("orders");
      }
      sampler.pollTargets();
    } finally {
      sampler.close();
    }
    List<SamplingStatisticSummary> summaries = xray.getSamplingStatisticSummaries(r -> { }).samplingStatisticSummaries();
    assertThat(summaries).extracting(SamplingStatisticSummary::ruleName).containsExactly("orders", "Default");
    SamplingStatisticSummary orders = summaries.get(0);
    assertThat(orders.requestCount()).isEqualTo(7);
    // Before its first quota the SDK borrows one a second from the rule; the rest are sampled.
    assertThat(orders.borrowCount()).isPositive();
    assertThat(orders.sampledCount() + orders.borrowCount()).isEqualTo(7);
    assertThat(orders.timestamp()).isNotNull();
    assertThat(summaries.get(1).requestCount()).isZero();
  }

  @Test
  void badRulesAreRejectedAsXRayDoes() throws Exception {
    createOrders();
    assertThatThrownBy(this::createOrders).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("a sampling rule named orders exists");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("x".repeat(33))
        .priority(1).fixedRate(0.1).reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("RuleName must be 1 to 32 characters");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("p")
        .priority(10000).fixedRate(0.1).reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Priority must be a whole number from 1 to 9999");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("r")
        .priority(1).fixedRate(1.5).reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("FixedRate must be between 0 and 1");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("v")
        .priority(1).fixedRate(0.1).reservoirSize(-1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ReservoirSize");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("w")
        .priority(1).fixedRate(0.1).reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(2))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Version is required and must be 1");
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("m")
        .priority(1).fixedRate(0.1).reservoirSize(1).version(1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is required");
    assertThatThrownBy(() -> xray.deleteSamplingRule(r -> r.ruleName("Default")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Default rule cannot be deleted");
    assertThatThrownBy(() -> xray.updateSamplingRule(r -> r.samplingRuleUpdate(u -> u.ruleName("Default").urlPath("/x"))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("takes only FixedRate and ReservoirSize");
    assertThatThrownBy(() -> xray.updateSamplingRule(r -> r.samplingRuleUpdate(u -> u.ruleName("nope").fixedRate(0.1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no sampling rule named nope");
    assertThatThrownBy(() -> xray.deleteSamplingRule(r -> { }))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs RuleName or RuleARN");

    // The rule before the limit is accepted, the one after it answered with X-Ray's own error.
    for (int i = 2; i < 25; i++) {
      int n = i;
      xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("rule-" + n).priority(n).fixedRate(0.1)
          .reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*").urlPath("*")
          .resourceARN("*").version(1)));
    }
    assertThatThrownBy(() -> xray.createSamplingRule(r -> r.samplingRule(rule -> rule.ruleName("one-too-many")
        .priority(1).fixedRate(0.1).reservoirSize(1).serviceName("*").serviceType("*").host("*").httpMethod("*")
        .urlPath("*").resourceARN("*").version(1))))
        .isInstanceOf(RuleLimitExceededException.class).hasMessageContaining("at most 25 sampling rules");

    // What the AWS CLI could send wrong, raw: not JSON, the wrong JSON type.
    HttpClient http = HttpClient.newHttpClient();
    for (String body : List.of("{", "{\"SamplingRule\":[]}", "{\"SamplingRule\":{\"RuleName\":7}}")) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/CreateSamplingRule"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).contains("InvalidRequestException");
    }
  }

  @Test
  void rulesFromAwsAreNotChangedHere() throws Exception {
    // Nothing listens at the AWS endpoint: the answers must come from the daemon without asking it.
    try (Daemon forwarding = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .forwardToAws(true).endpoint(URI.create("http://127.0.0.1:9")).region("us-east-1").build())) {
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of("/CreateSamplingRule", "/UpdateSamplingRule", "/DeleteSamplingRule",
          "/SamplingStatisticSummaries")) {
        String body = path.equals("/CreateSamplingRule")
            ? "{\"SamplingRule\":{\"RuleName\":\"a\",\"Priority\":1,\"FixedRate\":0.1,\"ReservoirSize\":1,"
                + "\"ServiceName\":\"*\",\"ServiceType\":\"*\",\"Host\":\"*\",\"HTTPMethod\":\"*\",\"URLPath\":\"*\","
                + "\"ResourceARN\":\"*\",\"Version\":1}}"
            : path.equals("/UpdateSamplingRule") ? "{\"SamplingRuleUpdate\":{\"RuleName\":\"Default\",\"FixedRate\":0.1}}"
            : path.equals("/DeleteSamplingRule") ? "{\"RuleName\":\"a\"}" : "{}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(forwarding.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(response.body()).as(path).contains("InvalidRequestException").contains("--forward aws");
      }
    }
  }
}

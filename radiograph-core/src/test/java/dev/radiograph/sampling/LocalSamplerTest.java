package dev.radiograph.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSamplerTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  private static SamplingRequest request(String host, String method, String path) {
    return SamplingRequest.builder().serviceName("svc").host(host).method(method).urlPath(path).build();
  }

  private static int sampledOf(Sampler sampler, SamplingRequest request, int times) {
    int sampled = 0;
    for (int i = 0; i < times; i++) {
      if (sampler.sample(request).isSampled()) {
        sampled++;
      }
    }
    return sampled;
  }

  @Test
  void defaultRuleSamplesOneARequestASecondThenFivePercent() {
    LocalSampler sampler = LocalSampler.of(List.of(), LocalSampler.DEFAULT_RULE, clock::get);
    SamplingRequest request = request("h", "GET", "/");
    assertThat(sampler.sample(request).isSampled()).isTrue();
    int sampled = sampledOf(sampler, request, 20_000);
    assertThat(sampled).isBetween(700, 1300); // 5% of 20,000 is 1,000
    clock.addAndGet(1000);
    assertThat(sampler.sample(request).isSampled()).as("the next second's reservoir").isTrue();
    assertThat(sampler.sample(request).ruleName()).isEqualTo("Default");
  }

  @Test
  void versionTwoFileMatchesHostMethodPathInOrder() {
    LocalSampler sampler = LocalRulesFile.load("classpath:sampling/rules-v2.json", clock::get);
    assertThat(sampler.rules()).extracting(SamplingRule::name)
        .containsExactly("Player moves.", "Everything for the admin host.", "Health checks.", "Default");
    assertThat(sampledOf(sampler, request("game.example.com", "POST", "/api/move/up"), 100)).isZero();
    assertThat(sampler.sample(request("game", "POST", "/api/move/up")).ruleName()).isEqualTo("Player moves.");
    // The admin host's reservoir takes 2 a second, then its rate of 1.0 takes the rest.
    assertThat(sampledOf(sampler, request("ADMIN.example.com", "DELETE", "/x"), 50)).isEqualTo(50);
    assertThat(sampledOf(sampler, request("h", "GET", "/health"), 50)).isZero();
    // POST /health is not the health rule: the default's reservoir takes one, its rate 0 none.
    assertThat(sampledOf(sampler, request("h", "POST", "/health"), 50)).isEqualTo(1);
  }

  @Test
  void versionOneFileMatchesServiceNameAgainstTheHost() {
    LocalSampler sampler = LocalRulesFile.load("classpath:sampling/rules-v1.json", clock::get);
    assertThat(sampledOf(sampler, request("orders.example.com", "POST", "/orders"), 10)).isEqualTo(3);
    clock.addAndGet(1000);
    assertThat(sampledOf(sampler, request("orders.example.com", "POST", "/orders"), 10)).isEqualTo(3);
    assertThat(sampledOf(sampler, request("other", "POST", "/orders"), 10)).isEqualTo(10);
  }

  @Test
  void boostExtensionForTheDaemonIsReadAndChecked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("boost.json");
    Files.writeString(file, "{\"version\":2,\"rules\":[{\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"*\","
        + "\"fixed_target\":1,\"rate\":0.1,\"sampling_rate_boost\":{\"max_rate\":0.5,\"cooldown_window_minutes\":3}}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.05}}");
    SamplingRule rule = LocalSampler.fromFile(file.toString()).rules().get(0);
    assertThat(rule.hasBoost()).isTrue();
    assertThat(rule.boostMaxRate()).isEqualTo(0.5);
    assertThat(rule.boostCooldownMinutes()).isEqualTo(3);
    assertInvalid(dir, "{\"version\":2,\"rules\":[{\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"*\","
        + "\"fixed_target\":1,\"rate\":0.1,\"sampling_rate_boost\":{\"max_rate\":2,\"cooldown_window_minutes\":3}}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.05}}", "rules[0].sampling_rate_boost.max_rate", "between 0 and 1");
  }

  @Test
  void fileFromAPathAndFromAPlainResourceName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, "{\"version\":2,\"default\":{\"fixed_target\":0,\"rate\":1}}");
    assertThat(LocalSampler.fromFile(file.toString()).rules()).hasSize(1);
    assertThat(LocalSampler.fromFile("sampling/rules-v2.json").rules()).hasSize(4);
  }

  @Test
  void malformedFilesFailWithFilePositionAndProblem(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> LocalSampler.fromFile(dir.resolve("missing.json").toString()))
        .hasMessageContaining("missing.json").hasMessageContaining("not found");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\n  \"version\": 2,\n  \"default\": {\"fixed_target\": 1 \"rate\": 0.05}\n}");
    assertThatThrownBy(() -> LocalSampler.fromFile(broken.toString()))
        .hasMessageContaining("broken.json")
        .hasMessageContaining("line 3");
    assertInvalid(dir, "{\"version\":3,\"default\":{\"fixed_target\":1,\"rate\":0.05}}", "version", "1 or 2");
    assertInvalid(dir, "{\"version\":2}", "default", "is required");
    assertInvalid(dir, "{\"version\":2,\"default\":{\"fixed_target\":1,\"rate\":1.5}}", "default.rate", "between 0 and 1");
    assertInvalid(dir, "{\"version\":2,\"default\":{\"fixed_target\":-1,\"rate\":0.1}}", "default.fixed_target", "0 or more");
    assertInvalid(dir, "{\"version\":2,\"default\":{\"fixed_target\":1,\"rate\":0.1,\"host\":\"*\"}}", "default.host", "unknown key");
    assertInvalid(dir, "{\"version\":2,\"rules\":[{\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"*\",\"fixed_targte\":1,\"rate\":0.1}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.1}}", "rules[0].fixed_targte", "unknown key");
    assertInvalid(dir, "{\"version\":1,\"rules\":[{\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"*\",\"fixed_target\":1,\"rate\":0.1}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.1}}", "rules[0].host", "unknown key");
    assertInvalid(dir, "{\"version\":2,\"rules\":[{\"http_method\":\"*\",\"url_path\":\"*\",\"fixed_target\":1,\"rate\":0.1}],"
        + "\"default\":{\"fixed_target\":1,\"rate\":0.1}}", "rules[0].host", "is required");
    assertInvalid(dir, "{\"version\":2,\"rules\":{},\"default\":{\"fixed_target\":1,\"rate\":0.1}}", "rules", "must be an array");
  }

  private static void assertInvalid(Path dir, String json, String where, String problem) throws Exception {
    Path file = Files.createTempFile(dir, "rules", ".json");
    Files.writeString(file, json);
    assertThatThrownBy(() -> LocalSampler.fromFile(file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining("at " + where + ":")
        .hasMessageContaining(problem);
  }
}

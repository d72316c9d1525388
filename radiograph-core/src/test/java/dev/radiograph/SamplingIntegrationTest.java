package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.config.SettingKey;
import dev.radiograph.sampling.CentralizedSampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the recorder uses the sampler and the upstream decision. */
class SamplingIntegrationTest {

  private static RecorderBuilder isolated() {
    return Recorder.builder().environment(Map.of()).systemProperties(new Properties()).daemonAddress("127.0.0.1:9");
  }

  @Test
  void upstreamDecisionIsHonouredAndQuestionMarkIsAnswered() {
    List<SamplingRequest> asked = new ArrayList<>();
    try (Recorder recorder = isolated().sampler(request -> {
      asked.add(request);
      return SamplingDecision.SAMPLED;
    }).build()) {
      Segment yes = recorder.beginSegment("a", TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"));
      recorder.endSegment();
      Segment no = recorder.beginSegment("a", TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"));
      recorder.endSegment();
      assertThat(yes.isSampled()).isTrue();
      assertThat(no.isSampled()).isFalse();
      assertThat(asked).as("the sampler is not asked when upstream decided").isEmpty();

      TraceHeader question = TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?");
      Segment decided = recorder.beginSegment("a", question,
          SamplingRequest.builder().serviceName("a").host("h").method("GET").urlPath("/p").build());
      recorder.endSegment();
      assertThat(asked).hasSize(1);
      assertThat(asked.get(0).urlPath()).isEqualTo("/p");
      assertThat(recorder.responseTraceHeader(decided, question).toString())
          .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
      assertThat(recorder.responseTraceHeader(yes, TraceHeader.empty()).toString())
          .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
    }
  }

  @Test
  void unsampledRequestKeepsAndPropagatesTheTraceId() {
    try (Recorder recorder = isolated().sampler(request -> SamplingDecision.NOT_SAMPLED).build()) {
      Segment segment = recorder.beginSegment("a", TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Foo=bar"));
      TraceHeader downstream = recorder.beginSubsegment("call").traceHeader();
      recorder.endSegment();
      assertThat(downstream.root()).isEqualTo(segment.traceId());
      assertThat(downstream.sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
      assertThat(downstream.additionalKeys()).containsEntry("Foo", "bar");
      Segment fresh = recorder.beginSegment("b");
      assertThat(fresh.traceId().toString()).matches("1-[0-9a-f]{8}-[0-9a-f]{24}");
      assertThat(fresh.traceHeader().root()).isEqualTo(fresh.traceId());
      recorder.endSegment();
    }
  }

  @Test
  void dynamicNamingUsesTheHostWhenItMatches() {
    try (Recorder recorder = isolated()
        .tracingName("shop")
        .setting(SettingKey.DYNAMIC_NAMING, "*.example.com")
        .build()) {
      assertThat(recorder.segmentName("api.example.com")).isEqualTo("api.example.com");
      assertThat(recorder.segmentName("API.EXAMPLE.COM")).isEqualTo("API.EXAMPLE.COM");
      assertThat(recorder.segmentName("localhost")).isEqualTo("shop");
      assertThat(recorder.segmentName(null)).isEqualTo("shop");
    }
  }

  @Test
  void settingsChooseTheSampler(@TempDir Path dir) throws Exception {
    try (Recorder recorder = isolated().build()) {
      assertThat(recorder.sampler()).isInstanceOf(CentralizedSampler.class);
    }
    try (Recorder recorder = isolated().sampling(false).build()) {
      assertThat(recorder.sampler().sample(SamplingRequest.forService("x"))).isSameAs(SamplingDecision.SAMPLED);
    }
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"version\":2,\"default\":{\"fixed_target\":0,\"rate\":0}}");
    try (Recorder recorder = isolated().setting(SettingKey.SAMPLING_RULES, rules.toString()).build()) {
      // The daemon at 127.0.0.1:9 gives no rules: the file's default rule (rate 0) decides.
      for (int i = 0; i < 100; i++) {
        assertThat(recorder.beginSegment("x").isSampled()).isFalse();
        recorder.endSegment();
      }
    }
  }
}

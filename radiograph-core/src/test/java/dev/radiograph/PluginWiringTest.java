package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.config.InvalidSettingException;
import dev.radiograph.config.SettingKey;
import dev.radiograph.plugins.Plugin;
import dev.radiograph.plugins.PluginData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Plugins' aws entries and origin reach every segment document. */
class PluginWiringTest {
  private static Plugin fixed(String name, String origin, Map<String, ?> aws) {
    return new Plugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public PluginData collect() {
        return PluginData.of(origin, aws);
      }
    };
  }

  @Test
  void segmentsCarryThePluginsAwsBlocksAndTheMostSpecificOrigin() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .plugin(fixed("EC2Plugin", "AWS::EC2::Instance", Map.of("ec2", Map.of("instance_id", "i-0abc", "availability_zone", "us-east-1a"))))
            .plugin(fixed("ElasticBeanstalkPlugin", "AWS::ElasticBeanstalk::Environment",
                Map.of("elastic_beanstalk", Map.of("environment_name", "prod", "version_label", "v7", "deployment_id", 3))))
            .build()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (recorder.pluginEntries() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Segment segment = recorder.beginSegment("svc");
      segment.putAws("account_id", "123456789012");
      recorder.endSegment();
      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.get("origin").asText()).isEqualTo("AWS::ElasticBeanstalk::Environment");
      assertThat(doc.at("/aws/ec2/instance_id").asText()).isEqualTo("i-0abc");
      assertThat(doc.at("/aws/elastic_beanstalk/deployment_id").asInt()).isEqualTo(3);
      assertThat(doc.at("/aws/account_id").asText()).isEqualTo("123456789012");
      assertThat(doc.at("/aws/xray/sdk").asText()).isEqualTo("Radiograph for Java");
    }
  }

  @Test
  void unknownPluginNamesFailTheBuildNamingTheSetting() {
    assertThatThrownBy(() -> Recorder.builder().environment(Map.of()).systemProperties(new Properties())
            .setting(SettingKey.PLUGINS, "EC2Plugin, MarsPlugin").build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("plugins=")
        .hasMessageContaining("MarsPlugin");
  }

  @Test
  void namedPluginsThatCannotReachTheirEndpointsAddNothingAndNeverDelayRequests() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().setting(SettingKey.PLUGINS, "ElasticBeanstalkPlugin").build()) {
      Segment segment = recorder.beginSegment("svc"); // immediately, whether or not plugins finished
      recorder.endSegment();
      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.has("origin")).isFalse(); // no Beanstalk environment file on this machine
      assertThat(doc.get("aws").has("elastic_beanstalk")).isFalse();
      assertThat(List.of(segment.id())).isNotEmpty();
    }
  }
}

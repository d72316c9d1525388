package dev.radiograph.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RadiographConfigTest {
  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void defaults() {
    RadiographConfig c = RadiographConfig.resolve(Map.of(), Map.of(), new Properties());
    assertThat(c.daemonAddress().toString()).isEqualTo("127.0.0.1:2000");
    assertThat(c.autoInstrument()).isTrue();
    assertThat(c.contextMissing()).isEqualTo(ContextMissingStrategy.LOG_ERROR);
    assertThat(c.plugins()).isEmpty();
    assertThat(c.sampling()).isTrue();
    assertThat(c.samplingRules()).isNull();
    assertThat(c.tracingName()).isNull();
    assertThat(c.dynamicNaming()).isNull();
    assertThat(c.streamingThreshold()).isEqualTo(100);
    assertThat(c.enabled()).isTrue();
    assertThat(c.captureAnomalies()).isFalse();
    assertThat(c.anomalyLatencyThreshold()).isNull();
    assertThat(c.sourceOf(SettingKey.DAEMON_ADDRESS)).isEqualTo("default");
  }

  @Test
  void environmentBeatsSystemPropertyBeatsApplicationBeatsDefault() {
    Map<String, String> app = Map.of("tracing-name", "from-app", "daemon-address", "10.0.0.1:2000",
        "context-missing", "IGNORE_ERROR", "streaming-threshold", "5");
    Properties sys = props("radiograph.tracing-name", "from-sys", "radiograph.daemon-address", "10.0.0.2:2000");
    Map<String, String> env = Map.of("AWS_XRAY_TRACING_NAME", "from-env");

    RadiographConfig c = RadiographConfig.resolve(app, env, sys);
    assertThat(c.tracingName()).isEqualTo("from-env");
    assertThat(c.sourceOf(SettingKey.TRACING_NAME)).isEqualTo("environment variable AWS_XRAY_TRACING_NAME");
    assertThat(c.daemonAddress().udpHost()).isEqualTo("10.0.0.2");
    assertThat(c.sourceOf(SettingKey.DAEMON_ADDRESS)).isEqualTo("system property radiograph.daemon-address");
    assertThat(c.contextMissing()).isEqualTo(ContextMissingStrategy.IGNORE_ERROR);
    assertThat(c.streamingThreshold()).isEqualTo(5);
  }

  @Test
  void applicationSettingsMayUseThePrefixedName() {
    RadiographConfig c = RadiographConfig.resolve(
        Map.of("radiograph.sampling", "false", "radiograph.plugins", "EC2Plugin, ECSPlugin"), Map.of(), new Properties());
    assertThat(c.sampling()).isFalse();
    assertThat(c.plugins()).containsExactly("EC2Plugin", "ECSPlugin");
  }

  @Test
  void badValuesFailWithKeyValueAndSource() {
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of(), Map.of("AWS_XRAY_DAEMON_ADDRESS", "nohost"), new Properties()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("daemon-address='nohost'")
        .hasMessageContaining("environment variable AWS_XRAY_DAEMON_ADDRESS")
        .hasMessageContaining("port");
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of("context-missing", "EXPLODE"), Map.of(), new Properties()))
        .hasMessageContaining("context-missing='EXPLODE'")
        .hasMessageContaining("LOG_ERROR, RUNTIME_ERROR or IGNORE_ERROR");
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of(), Map.of(), props("radiograph.streaming-threshold", "-3")))
        .hasMessageContaining("streaming-threshold='-3'")
        .hasMessageContaining("system property radiograph.streaming-threshold")
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of("sampling", "yes please"), Map.of(), new Properties()))
        .hasMessageContaining("sampling='yes please'")
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of(), Map.of("AWS_XRAY_SDK_ENABLED", "nope"), new Properties()))
        .hasMessageContaining("enabled='nope'");
    assertThatThrownBy(() -> RadiographConfig.resolve(Map.of("anomaly-latency-threshold", "2 weeks"), Map.of(), new Properties()))
        .hasMessageContaining("anomaly-latency-threshold='2 weeks'");
  }

  @Test
  void recorderBuilderFailsAtBuildTimeWithTheSameMessage() {
    assertThatThrownBy(() -> Recorder.builder().environment(Map.of()).systemProperties(new Properties())
            .streamingThreshold(-1).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("streaming-threshold='-1'")
        .hasMessageContaining("application setting radiograph.streaming-threshold");
  }

  @Test
  void durationsAndContextMissingSpellings() {
    assertThat(RadiographConfig.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(RadiographConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(RadiographConfig.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(RadiographConfig.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(RadiographConfig.parseDuration("1m")).isEqualTo(Duration.ofMinutes(1));
    RadiographConfig c = RadiographConfig.resolve(
        Map.of("context-missing", "runtime-error", "anomaly-latency-threshold", "1.5s"), Map.of(), new Properties());
    assertThat(c.contextMissing()).isEqualTo(ContextMissingStrategy.RUNTIME_ERROR);
    assertThat(c.anomalyLatencyThreshold()).isEqualTo(Duration.ofMillis(1500));
  }
}

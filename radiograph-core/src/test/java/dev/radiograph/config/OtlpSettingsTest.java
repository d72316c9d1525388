package dev.radiograph.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The {@code exporter} setting and OpenTelemetry's environment conventions. */
class OtlpSettingsTest {
  private static RadiographConfig resolve(Map<String, String> app, Map<String, String> env) {
    return RadiographConfig.resolve(app, env, new Properties());
  }

  @Test
  void defaultsToUdpAndTheDaemonsOtlpPort() {
    RadiographConfig c = resolve(Map.of(), Map.of());
    assertThat(c.exporter()).isEqualTo("xray-udp");
    assertThat(c.otlpTracesEndpoint()).hasToString("http://127.0.0.1:4318/v1/traces");
    assertThat(c.otlpHeaders()).isEmpty();
  }

  @Test
  void theBaseEndpointGetsTheTracesPathTheTracesEndpointIsTakenAsIs() {
    assertThat(resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/"))
        .otlpTracesEndpoint()).hasToString("https://collector:4318/v1/traces");
    assertThat(resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:9999/custom")).otlpTracesEndpoint())
        .hasToString("http://b:9999/custom");
  }

  @Test
  void headersAreUrlDecodedPairs() {
    RadiographConfig c = resolve(Map.of(),
        Map.of("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic%20dXNlcjpwYXNz, x-tenant = a%2Cb"));
    assertThat(c.otlpHeaders()).containsExactly(
        Map.entry("Authorization", "Basic dXNlcjpwYXNz"), Map.entry("x-tenant", "a,b"));
  }

  @Test
  void otelServiceNameIsTheFallbackTracingName() {
    assertThat(resolve(Map.of(), Map.of("OTEL_SERVICE_NAME", "checkout")).tracingName()).isEqualTo("checkout");
    RadiographConfig both = resolve(Map.of("tracing-name", "orders"), Map.of("OTEL_SERVICE_NAME", "checkout"));
    assertThat(both.tracingName()).isEqualTo("orders");
    assertThat(resolve(Map.of(), Map.of("OTEL_SERVICE_NAME", "checkout")).sourceOf(SettingKey.TRACING_NAME))
        .isEqualTo("environment variable OTEL_SERVICE_NAME");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> resolve(Map.of("exporter", "zipkin"), Map.of()))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("exporter").hasMessageContaining("otlp");
    assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("key=value");
  }
}

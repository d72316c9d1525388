package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.InvalidSettingException;
import dev.radiograph.config.SettingKey;
import dev.radiograph.spring.bare.BareApplication;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's settings on real (non-web) Spring Boot applications: core's precedence over the
 * {@code radiograph.*} properties, the {@code tracing-name} fallback and its failure, bad values,
 * the start-up segment's role, and the configuration metadata.
 */
class StarterSettingsTest {
  private static final String NO_DATABASE = "spring.autoconfigure.exclude="
      + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
      + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

  @Test
  void theEnvironmentWinsOverSystemPropertiesWhichWinOverApplicationProperties() throws Exception {
    try (UdpDaemon fromEnvironment = new UdpDaemon(); UdpDaemon fromProperty = new UdpDaemon()) {
      Map<String, String> environment = Map.of(
          "AWS_XRAY_TRACING_NAME", "from-env",
          "AWS_XRAY_DAEMON_ADDRESS", fromEnvironment.address());
      Map<String, String> systemProperties = Map.of(
          "radiograph.tracing-name", "from-sysprop",
          "radiograph.daemon-address", fromProperty.address());
      // precedence.properties (the application.properties here) sets both keys too.

      Recorder all = recorderOf(environment, systemProperties);
      assertThat(all.tracingName()).isEqualTo("from-env");
      assertThat(all.config().sourceOf(SettingKey.TRACING_NAME)).isEqualTo("environment variable AWS_XRAY_TRACING_NAME");
      // The start-up segment went where the environment said, and nowhere else.
      assertThat(fromEnvironment.receive(1, Duration.ofSeconds(5))).singleElement()
          .satisfies(d -> assertThat(d.get("name").asText()).isEqualTo("from-env"));
      assertThat(fromProperty.receiveAll(Duration.ofMillis(200))).isEmpty();

      Recorder withoutEnvironment = recorderOf(Map.of(), systemProperties);
      assertThat(withoutEnvironment.tracingName()).isEqualTo("from-sysprop");
      assertThat(withoutEnvironment.config().sourceOf(SettingKey.DAEMON_ADDRESS))
          .isEqualTo("system property radiograph.daemon-address");
      assertThat(fromProperty.receive(1, Duration.ofSeconds(5))).singleElement()
          .satisfies(d -> assertThat(d.get("name").asText()).isEqualTo("from-sysprop"));

      Recorder fileOnly = recorderOf(Map.of(), Map.of());
      assertThat(fileOnly.tracingName()).isEqualTo("from-file");
      assertThat(fileOnly.config().sourceOf(SettingKey.TRACING_NAME))
          .isEqualTo("application setting radiograph.tracing-name");
    }
  }

  private static Recorder recorderOf(Map<String, String> environment, Map<String, String> systemProperties) {
    ConfigurableApplicationContext context = TestApplications.startWithoutWeb(BareApplication.class, environment,
        systemProperties, NO_DATABASE, "spring.config.name=precedence");
    try {
      Recorder recorder = context.getBean(Recorder.class);
      recorder.flush(Duration.ofSeconds(2));
      return recorder;
    } finally {
      TestApplications.stop(context);
    }
  }

  @Test
  void withoutATracingNameStartUpFailsNamingBothProperties() {
    assertThatThrownBy(() -> TestApplications.startWithoutWeb(BareApplication.class, Map.of(), Map.of(), NO_DATABASE))
        .satisfies(failure -> {
          assertThat(rootCause(failure)).isInstanceOf(MissingTracingNameException.class)
              .hasMessageContaining("radiograph.tracing-name")
              .hasMessageContaining("spring.application.name");
          FailureAnalysis analysis = new RadiographFailureAnalyzer().analyze(failure);
          assertThat(analysis.getDescription()).contains("radiograph.tracing-name", "spring.application.name");
          assertThat(analysis.getAction()).contains("radiograph.tracing-name", "spring.application.name");
        });
  }

  @Test
  void aBadValueFailsStartUpNamingTheSettingAndWhereItCameFrom() {
    assertThatThrownBy(() -> TestApplications.startWithoutWeb(BareApplication.class,
        Map.of("AWS_XRAY_CONTEXT_MISSING", "SOMETIMES"), Map.of(), NO_DATABASE, "spring.application.name=bare"))
        .satisfies(failure -> {
          assertThat(rootCause(failure)).isInstanceOf(InvalidSettingException.class)
              .hasMessageContaining("context-missing='SOMETIMES'")
              .hasMessageContaining("environment variable AWS_XRAY_CONTEXT_MISSING");
          assertThat(new RadiographFailureAnalyzer().analyze(failure).getAction())
              .contains("radiograph.context-missing", "AWS_XRAY_CONTEXT_MISSING");
        });
  }

  @Test
  void withoutTheStartupSegmentStartupSqlMeetsTheContextMissingStrategy() {
    Map<String, String> strict = Map.of("AWS_XRAY_CONTEXT_MISSING", "RUNTIME_ERROR");
    String[] database = {"spring.application.name=bare", "spring.datasource.url=" + TestPostgres.jdbcUrl(),
        "spring.flyway.enabled=false", "radiograph.daemon-address=127.0.0.1:9"};

    // The Python guide's gotcha, reproduced: start-up SQL with RUNTIME_ERROR and nothing tracing it.
    assertThatThrownBy(() -> TestApplications.startWithoutWeb(BareApplication.class, strict, Map.of(),
        with(database, "radiograph.startup-segment=false")))
        .satisfies(failure -> assertThat(rootCause(failure)).isInstanceOf(SegmentNotFoundException.class));

    // The starter's default: the same application starts.
    TestApplications.stop(TestApplications.startWithoutWeb(BareApplication.class, strict, Map.of(), database));

    // auto-instrument=false leaves the DataSource alone.
    ConfigurableApplicationContext plain = TestApplications.startWithoutWeb(BareApplication.class, strict, Map.of(),
        with(database, "radiograph.startup-segment=false", "radiograph.auto-instrument=false"));
    try {
      assertThat(AopUtils.isAopProxy(plain.getBean(DataSource.class))).isFalse();
    } finally {
      TestApplications.stop(plain);
    }
  }

  @Test
  void everySettingHasConfigurationMetadataForIdeCompletion() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> properties = new HashMap<>();
    metadata.get("properties").forEach(p -> properties.put(p.get("name").asText(), p));
    for (SettingKey key : SettingKey.values()) {
      assertThat(properties).as(key.propertyName()).containsKey(key.propertyName());
      JsonNode property = properties.get(key.propertyName());
      assertThat(property.get("description").asText()).isNotBlank();
      if (key.defaultValue() != null && !key.defaultValue().isEmpty()) {
        assertThat(property.get("defaultValue").asText()).as(key.propertyName()).isEqualTo(key.defaultValue());
      }
      if (key.environmentVariable() != null) {
        assertThat(property.get("description").asText()).contains(key.environmentVariable());
      }
    }
    assertThat(properties).containsKeys(StarterSettings.STARTUP_SEGMENT, StarterSettings.SCHEDULED_SEGMENTS,
        StarterSettings.EXCLUDE_ACTUATOR, StarterSettings.JDBC_RAW_QUERIES);
  }

  private static String[] with(String[] properties, String... more) {
    String[] all = java.util.Arrays.copyOf(properties, properties.length + more.length);
    System.arraycopy(more, 0, all, properties.length, more.length);
    return all;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}

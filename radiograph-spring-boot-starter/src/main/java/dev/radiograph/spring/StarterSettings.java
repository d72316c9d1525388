package dev.radiograph.spring;

import dev.radiograph.config.SettingKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Hands the {@code radiograph.*} properties of the Spring environment to core's settings
 * resolver as the application's settings, and names the starter's own properties.
 *
 * <p>RATIONALE: precedence is core's ({@code RadiographConfig}): environment variable, then JVM
 * system property, then these application settings, then the default. The environment variables
 * and system properties are read through Spring's environment (the process's, unless an
 * application or test replaced them) so that every source is the one Spring sees.
 */
final class StarterSettings {
  /** Begin a segment for start-up work (migrations, runners); default true. */
  static final String STARTUP_SEGMENT = "radiograph.startup-segment";
  /** Run each {@code @Scheduled} method in its own segment; default true. */
  static final String SCHEDULED_SEGMENTS = "radiograph.scheduled-segments";
  /** Leave {@code /actuator/**} unsampled through a built-in sampling rule; default true. */
  static final String EXCLUDE_ACTUATOR = "radiograph.exclude-actuator";
  /** Record plain statements' SQL as written instead of sanitized; default false. */
  static final String JDBC_RAW_QUERIES = "radiograph.jdbc.raw-queries";

  static final String APPLICATION_NAME = "spring.application.name";

  private StarterSettings() {}

  /**
   * The application's settings: each {@code radiograph.<key>} the environment resolves, and
   * {@code spring.application.name} as the {@code tracing-name} when that key is not set.
   */
  static Map<String, String> applicationSettings(Environment environment) {
    Map<String, String> settings = new HashMap<>();
    for (SettingKey key : SettingKey.values()) {
      String value = environment.getProperty(key.propertyName());
      if (value != null) {
        settings.put(key.key(), value);
      }
    }
    String applicationName = environment.getProperty(APPLICATION_NAME);
    if (applicationName != null && !applicationName.isBlank()) {
      settings.putIfAbsent(SettingKey.TRACING_NAME.key(), applicationName);
    }
    return settings;
  }

  /** The environment variables, as Spring's environment sees them. */
  static Map<String, String> environmentVariables(ConfigurableEnvironment environment) {
    Map<String, String> variables = new HashMap<>();
    environment.getSystemEnvironment().forEach((name, value) -> {
      if (value != null) {
        variables.put(name, value.toString());
      }
    });
    return variables;
  }

  /** The JVM system properties, as Spring's environment sees them. */
  static Properties systemProperties(ConfigurableEnvironment environment) {
    Properties properties = new Properties();
    environment.getSystemProperties().forEach((name, value) -> {
      if (value instanceof String) {
        properties.setProperty(name, (String) value);
      }
    });
    return properties;
  }

  /** The path actuator endpoints are served under, context path included: {@code /actuator}. */
  static String actuatorPath(Environment environment) {
    // A servlet application's context path, or a reactive one's base path.
    String contextPath = environment.getProperty("server.servlet.context-path",
        environment.getProperty("spring.webflux.base-path", ""));
    String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
    String path = trimSlash(contextPath) + "/" + trimSlash(basePath).replaceFirst("^/", "");
    return path.equals("/") ? "" : trimSlash(path);
  }

  private static String trimSlash(String path) {
    String trimmed = path.trim();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}

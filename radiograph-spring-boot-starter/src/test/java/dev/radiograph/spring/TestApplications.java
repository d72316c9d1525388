package dev.radiograph.spring;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.context.support.StandardServletEnvironment;

/**
 * Starts a real Spring Boot application on a random port of 127.0.0.1, quiet, with the
 * environment variables and system properties it is given instead of the JVM's (so that tests
 * can set {@code AWS_XRAY_*} variables without touching the process).
 */
final class TestApplications {
  private TestApplications() {}

  static SpringApplicationBuilder builder(Class<?> application, Map<String, String> environmentVariables,
      Map<String, String> systemProperties, boolean web) {
    return builder(application, environmentVariables, systemProperties,
        web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
  }

  static SpringApplicationBuilder builder(Class<?> application, Map<String, String> environmentVariables,
      Map<String, String> systemProperties, WebApplicationType type) {
    return new SpringApplicationBuilder(application)
        .web(type)
        .environment(environment(environmentVariables, systemProperties, type == WebApplicationType.SERVLET))
        .properties(
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off",
            "logging.level.root=WARN",
            "logging.level.org.flywaydb=WARN");
  }

  static ConfigurableApplicationContext start(Class<?> application, Map<String, String> environmentVariables,
      String... properties) {
    return builder(application, environmentVariables, Map.of(), true).properties(properties).run();
  }

  static ConfigurableApplicationContext startWithoutWeb(Class<?> application, Map<String, String> environmentVariables,
      Map<String, String> systemProperties, String... properties) {
    return builder(application, environmentVariables, systemProperties, false).properties(properties).run();
  }

  static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /**
   * Spring's environment, with the given environment variables and system properties over the
   * JVM's own. (An anonymous class: its captured values are set before the superclass's
   * constructor reads them.)
   */
  private static ConfigurableEnvironment environment(Map<String, String> environmentVariables,
      Map<String, String> systemProperties, boolean web) {
    Map<String, Object> variables = new HashMap<>(environmentVariables);
    Map<String, Object> properties = new HashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(k.toString(), v));
    properties.putAll(systemProperties);
    if (!web) {
      return new StandardEnvironment() {
        @Override
        public Map<String, Object> getSystemEnvironment() {
          return variables;
        }

        @Override
        public Map<String, Object> getSystemProperties() {
          return properties;
        }
      };
    }
    return new StandardServletEnvironment() {
      @Override
      public Map<String, Object> getSystemEnvironment() {
        return variables;
      }

      @Override
      public Map<String, Object> getSystemProperties() {
        return properties;
      }
    };
  }

  static void stop(ConfigurableApplicationContext context) {
    if (context != null) {
      SpringApplication.exit(context);
    }
  }
}

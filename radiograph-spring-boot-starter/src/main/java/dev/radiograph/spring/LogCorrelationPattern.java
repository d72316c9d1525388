package dev.radiograph.spring;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Makes Spring Boot's default console and file log patterns show the current trace, as Boot does
 * when Micrometer Tracing is present: a default for {@code logging.pattern.correlation}, so that
 * a plain application's lines read {@code ... [accounts,<traceId>,<spanId>] ...} with no logging
 * configuration. The ids come from SLF4J's MDC, which radiograph-slf4j keeps in step with the
 * current entity.
 *
 * <p>Only a default: a {@code logging.pattern.correlation} of the application's own wins, and
 * {@code radiograph.log-correlation=false} (or {@code radiograph.enabled=false}) leaves the
 * patterns alone. Runs after the application's configuration files are read, so that those
 * settings are seen.
 */
final class LogCorrelationPattern implements EnvironmentPostProcessor, Ordered {
  static final String PROPERTY = "logging.pattern.correlation";
  static final String PATTERN = "[${spring.application.name:},%X{traceId:-},%X{spanId:-}] ";
  private static final String SOURCE = "radiograph-log-correlation";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!ClassUtils.isPresent("org.slf4j.MDC", LogCorrelationPattern.class.getClassLoader())
        || !environment.getProperty("radiograph.log-correlation", Boolean.class, true)
        || !environment.getProperty("radiograph.enabled", Boolean.class, true)
        || environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    // Last: every other source, the application's files included, overrides this default.
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(PROPERTY, PATTERN)));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}

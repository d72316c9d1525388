package dev.radiograph.spring;

import dev.radiograph.CallSites;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.config.RadiographConfig;
import dev.radiograph.context.SegmentContext;
import dev.radiograph.context.ThreadLocalSegmentContext;
import dev.radiograph.servlet.RadiographFilter;
import java.util.Map;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Radiograph for Spring Boot: adding the starter is the whole installation, as adding the app to
 * Django's {@code INSTALLED_APPS} is for the Python SDK.
 *
 * <ul>
 *   <li>a {@link Recorder} bean (also the global {@link Radiograph#recorder()}) configured by the
 *       {@code radiograph.*} properties, environment variables and system properties winning, and
 *       named by {@code radiograph.tracing-name}, else {@code spring.application.name};
 *   <li>the {@link RadiographFilter} first in the servlet filter chain, before Spring Security;
 *       in a reactive application the {@link RadiographWebFilter} first in the {@code WebFilter}
 *       chain, with the segment carried in the Reactor context;
 *   <li>with {@code auto-instrument}: every {@code DataSource} bean, every view rendering, and
 *       {@code RestClient}/{@code RestTemplate}/{@code WebClient} calls made through Spring Boot's builders;
 *   <li>a segment for start-up work and one for each {@code @Scheduled} run;
 *   <li>{@code /actuator/**} left unsampled by a built-in sampling rule.
 * </ul>
 */
@AutoConfiguration
public final class RadiographAutoConfiguration {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(RadiographAutoConfiguration.class, ScheduledSegmentPostProcessor.class, DataSourceTracingPostProcessor.class, TracingClientInterceptor.class, CallableContextInterceptor.class, StartupSegment.class);
    // The classes built on Spring MVC's or WebFlux's types register themselves: naming them here
    // would load those types in applications that do not have them (a reactive application has
    // no Spring MVC, a servlet one may have no WebFlux).
  }

  /**
   * One context for the recorders of every application in this JVM, so that
   * {@code Radiograph.currentSegment()} answers on any thread whichever application's recorder is
   * the global one (several application contexts in one JVM, as in tests).
   */
  private static final SegmentContext CONTEXT = new ThreadLocalSegmentContext();

  /**
   * The recorder, from the {@code radiograph.*} properties (core's precedence), named by
   * {@code tracing-name} or {@code spring.application.name}.
   *
   * @throws MissingTracingNameException when neither name is set (and the SDK is enabled)
   * @throws dev.radiograph.config.InvalidSettingException when a setting has a bad value
   */
  @Bean
  @ConditionalOnMissingBean
  public Recorder radiographRecorder(ConfigurableEnvironment environment) {
    Map<String, String> settings = StarterSettings.applicationSettings(environment);
    Map<String, String> variables = StarterSettings.environmentVariables(environment);
    Properties properties = StarterSettings.systemProperties(environment);
    RadiographConfig config = RadiographConfig.resolve(settings, variables, properties);
    if (config.enabled() && config.tracingName() == null) {
      throw new MissingTracingNameException();
    }
    boolean excludeActuator = environment.getProperty(StarterSettings.EXCLUDE_ACTUATOR, Boolean.class, true);
    Recorder recorder = Recorder.builder()
        .settings(settings)
        .environment(variables)
        .systemProperties(properties)
        .segmentContext(CONTEXT)
        .sampler(HealthCheckSampler.create(config, excludeActuator ? StarterSettings.actuatorPath(environment) : ""))
        .build();
    Radiograph.setRecorder(recorder);
    return recorder;
  }

  /** The start-up segment ({@code radiograph.startup-segment}). */
  @Bean
  @ConditionalOnBooleanProperty(name = StarterSettings.STARTUP_SEGMENT, matchIfMissing = true)
  static StartupSegment radiographStartupSegment() {
    return new StartupSegment();
  }

  /** A segment per {@code @Scheduled} run ({@code radiograph.scheduled-segments}). */
  @Bean
  @ConditionalOnClass(name = "org.springframework.scheduling.annotation.Scheduled")
  @ConditionalOnBooleanProperty(name = StarterSettings.SCHEDULED_SEGMENTS, matchIfMissing = true)
  static ScheduledSegmentPostProcessor radiographScheduledSegments(ObjectProvider<Recorder> recorder) {
    return new ScheduledSegmentPostProcessor(recorder);
  }

  /** {@code sql} subsegments for every {@code DataSource} bean ({@code auto-instrument}). */
  @Bean
  static DataSourceTracingPostProcessor radiographDataSourceTracing(ObjectProvider<Recorder> recorder,
      Environment environment) {
    return new DataSourceTracingPostProcessor(recorder,
        environment.getProperty(StarterSettings.JDBC_RAW_QUERIES, Boolean.class, false));
  }

  /** The request filter, first in the chain. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static class ServletTracing {
    @Bean
    FilterRegistrationBean<RadiographFilter> radiographFilter(Recorder recorder) {
      return new FirstFilterRegistration(new RadiographFilter(recorder));
    }
  }

  /**
   * A reactive application: the {@link RadiographWebFilter} first in the {@code WebFilter} chain,
   * and Reactor's automatic context propagation, so that the request's segment is current in its
   * operators whichever thread runs them.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "io.micrometer.context.ContextRegistry"})
  static class ReactiveTracing {
    @Bean
    RadiographWebFilter radiographWebFilter(Recorder recorder) {
      // RATIONALE: Spring Boot turns this on only with spring.reactor.context-propagation=auto;
      // without it the segment would be current only where Reactor happens to restore it.
      EntityThreadLocalAccessor.enableAutomaticPropagation();
      return new RadiographWebFilter(recorder);
    }
  }

  /** Outgoing calls of {@code WebClient}s built by Spring Boot's {@code WebClient.Builder}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.webclient.WebClientCustomizer",
      "org.springframework.web.reactive.function.client.WebClient"})
  static class WebClientTracing {
    @Bean
    WebClientCustomizer radiographWebClient(Recorder recorder) {
      return builder -> {
        if (recorder.config().autoInstrument()) {
          builder.filter(new TracingExchangeFilterFunction(recorder));
        }
      };
    }
  }

  /** View rendering as subsegments, and the segment carried into {@code Callable} controllers. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.ViewResolver")
  static class WebMvcTracing {
    @Bean
    static ViewTracingPostProcessor radiographViewTracing(ObjectProvider<Recorder> recorder) {
      return new ViewTracingPostProcessor(recorder);
    }

    @Bean
    WebMvcConfigurer radiographCallableContext(Recorder recorder) {
      CallableProcessingInterceptor interceptor = new CallableContextInterceptor(recorder);
      return new WebMvcConfigurer() {
        @Override
        public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
          configurer.registerCallableInterceptors(interceptor);
        }
      };
    }
  }

  /** Outgoing calls of {@code RestClient}s and {@code RestTemplate}s built by Spring Boot's builders. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.restclient.RestClientCustomizer")
  static class RestClientTracing {
    @Bean
    RestClientCustomizer radiographRestClient(Recorder recorder) {
      return builder -> {
        if (recorder.config().autoInstrument()) {
          builder.requestInterceptor(new TracingClientInterceptor(recorder));
        }
      };
    }

    @Bean
    RestTemplateCustomizer radiographRestTemplate(Recorder recorder) {
      return restTemplate -> {
        if (recorder.config().autoInstrument()) {
          restTemplate.getInterceptors().add(new TracingClientInterceptor(recorder));
        }
      };
    }
  }
}

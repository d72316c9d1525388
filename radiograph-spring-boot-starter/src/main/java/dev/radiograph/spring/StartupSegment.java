package dev.radiograph.spring;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Runs the application's start-up work inside one segment, so that what it traces (Flyway or
 * Liquibase migrations, {@code ApplicationRunner}s and {@code CommandLineRunner}s, SQL in
 * {@code @PostConstruct}) is recorded instead of meeting the context-missing strategy, which
 * under {@code RUNTIME_ERROR} would stop the application from starting.
 *
 * <p>The segment begins on the start-up thread as soon as the {@link Recorder} bean exists (a
 * traced {@code DataSource} needs it, so before any migration) and ends when the application is
 * ready (after the runners), or when a context not started by {@code SpringApplication} is
 * refreshed. It is always sampled: it happens once per process. If start-up fails, it ends as a
 * fault before the recorder closes.
 */
final class StartupSegment implements DestructionAwareBeanPostProcessor, ApplicationListener<ApplicationEvent>,
    ApplicationContextAware {
  private static final String SPRING_APPLICATION_MARKER = "springApplicationArguments";

  private ApplicationContext context;
  private volatile Segment segment;

  @Override
  public void setApplicationContext(ApplicationContext applicationContext) {
    this.context = applicationContext;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    if (bean instanceof Recorder && segment == null) {
      begin((Recorder) bean);
    }
    return bean;
  }

  private void begin(Recorder recorder) {
    try {
      if (recorder.currentEntity() != null) {
        return; // something already traces this thread: start-up work lands there
      }
      TraceHeader sampled = TraceHeader.builder().root(TraceId.create()).sampled(TraceHeader.Sampled.SAMPLED).build();
      Segment started = recorder.beginSegment(recorder.segmentName(null), sampled);
      started.putAnnotation("startup", true);
      segment = started;
    } catch (RuntimeException e) {
      // Start-up goes on untraced rather than not at all.
    }
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationReadyEvent) {
      if (((ApplicationReadyEvent) event).getApplicationContext() == context) {
        end(false, null);
      }
    } else if (event instanceof ApplicationFailedEvent) {
      end(true, ((ApplicationFailedEvent) event).getException());
    } else if (event instanceof ContextRefreshedEvent) {
      ApplicationContext refreshed = ((ContextRefreshedEvent) event).getApplicationContext();
      if (refreshed == context && !context.containsBean(SPRING_APPLICATION_MARKER)) {
        end(false, null); // no SpringApplication, so no ready event: refresh is the end of start-up
      }
    } else if (event instanceof ContextClosedEvent) {
      end(true, null);
    }
  }

  @Override
  public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
    end(true, null); // the recorder is closing while start-up has not finished: it failed
  }

  @Override
  public boolean requiresDestruction(Object bean) {
    return bean instanceof Recorder;
  }

  private void end(boolean failed, Throwable error) {
    Segment ending = segment;
    if (ending == null || !ending.isInProgress()) {
      return;
    }
    if (error != null) {
      ending.addException(error);
    } else if (failed) {
      ending.setFault(true);
    }
    ending.close();
  }
}

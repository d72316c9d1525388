package dev.radiograph.spring;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import dev.radiograph.sampling.SamplingRequest;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs each {@code @Scheduled} method call in its own segment, named by {@code tracing-name} and
 * annotated {@code scheduled_task=Class.method}, so that the SQL and HTTP calls of background
 * jobs are traced instead of meeting the context-missing strategy. The sampler decides for each
 * run, as for a request. A call made from code that is already traced (a controller calling the
 * job's method) runs in that trace instead.
 *
 * <p>RATIONALE: an advisor on the bean, like {@code @Async}'s, ordered before Spring's
 * {@code ScheduledAnnotationBeanPostProcessor} so that the scheduler calls through the proxy, and
 * placed before existing advisors so that a {@code @Transactional} job's commit is inside the
 * segment. A bean that cannot be proxied is left as it is, untraced.
 */
final class ScheduledSegmentPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {
  private static final long serialVersionUID = 1L;

  ScheduledSegmentPostProcessor(ObjectProvider<Recorder> recorder) {
    this.advisor = new DefaultPointcutAdvisor(
        new AnnotationMatchingPointcut(null, Scheduled.class, true), new SegmentPerRun(recorder));
    setBeforeExistingAdvisors(true);
    setProxyTargetClass(true);
    setOrder(Ordered.LOWEST_PRECEDENCE - 1);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    try {
      return super.postProcessAfterInitialization(bean, beanName);
    } catch (RuntimeException e) {
      // A final class, say: the job runs, untraced, rather than the application not starting.
      return bean;
    }
  }

  /** The advice: one segment around each run. */
  private static final class SegmentPerRun implements MethodInterceptor {
    private final ObjectProvider<Recorder> recorders;

    SegmentPerRun(ObjectProvider<Recorder> recorders) {
      this.recorders = recorders;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
      Recorder recorder = recorders.getIfAvailable();
      Segment segment = recorder == null ? null : begin(recorder, invocation.getMethod());
      if (segment == null) {
        return invocation.proceed();
      }
      try {
        return invocation.proceed();
      } catch (Throwable e) {
        segment.addException(e);
        throw e;
      } finally {
        segment.close();
        recorder.setCurrentEntity(null);
      }
    }

    private static Segment begin(Recorder recorder, Method method) {
      try {
        if (recorder.currentEntity() != null) {
          return null;
        }
        String name = recorder.segmentName(null);
        Segment segment = recorder.beginSegment(name, TraceHeader.empty(), SamplingRequest.forService(name));
        segment.putAnnotation("scheduled_task", method.getDeclaringClass().getSimpleName() + "." + method.getName());
        return segment;
      } catch (RuntimeException e) {
        return null; // the run goes on untraced
      }
    }
  }
}

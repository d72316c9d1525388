package dev.radiograph.spring;

import dev.radiograph.CallSites;
import dev.radiograph.Recorder;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.ViewResolver;
import org.springframework.web.servlet.view.ContentNegotiatingViewResolver;

/**
 * With {@code auto-instrument}, makes every Spring MVC {@link ViewResolver} bean hand out
 * {@link TracedView}s, so that each rendered template (Thymeleaf or any other {@code View}) is a
 * subsegment.
 *
 * <p>RATIONALE: the resolver is wrapped in an interface proxy (its order and other interfaces
 * kept), not replaced, so that the {@code DispatcherServlet} finds and sorts it as before. The
 * {@code ContentNegotiatingViewResolver} only delegates to the other resolvers, whose views are
 * already traced: it is left alone.
 */
final class ViewTracingPostProcessor implements BeanPostProcessor {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(ViewTracingPostProcessor.class);
  }

  private final ObjectProvider<Recorder> recorder;

  ViewTracingPostProcessor(ObjectProvider<Recorder> recorder) {
    this.recorder = recorder;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof ViewResolver) || bean instanceof ContentNegotiatingViewResolver || isTraced(bean)) {
      return bean;
    }
    try {
      Recorder tracing = recorder.getIfAvailable();
      if (tracing == null || !tracing.config().autoInstrument()) {
        return bean;
      }
      ProxyFactory proxy = new ProxyFactory(bean);
      proxy.addAdvice(new TraceResolvedViews(tracing));
      return proxy.getProxy(bean.getClass().getClassLoader());
    } catch (RuntimeException e) {
      return bean; // rendering stays untraced rather than the application not starting
    }
  }

  private static boolean isTraced(Object bean) {
    if (bean instanceof Advised) {
      for (org.springframework.aop.Advisor advisor : ((Advised) bean).getAdvisors()) {
        if (advisor.getAdvice() instanceof TraceResolvedViews) {
          return true;
        }
      }
    }
    return false;
  }

  /** Wraps what {@code resolveViewName} returns. */
  private static final class TraceResolvedViews implements MethodInterceptor {
    private final Recorder recorder;

    TraceResolvedViews(Recorder recorder) {
      this.recorder = recorder;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
      Object result = invocation.proceed();
      if (result instanceof View && invocation.getMethod().getName().equals("resolveViewName")) {
        return TracedView.wrap((View) result, (String) invocation.getArguments()[0], recorder);
      }
      return result;
    }
  }
}

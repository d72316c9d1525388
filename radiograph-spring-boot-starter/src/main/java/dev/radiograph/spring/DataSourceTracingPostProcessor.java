package dev.radiograph.spring;

import dev.radiograph.Recorder;
import dev.radiograph.jdbc.TracedDataSource;
import java.lang.reflect.Modifier;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * With {@code auto-instrument}, traces every {@link DataSource} bean with
 * {@link TracedDataSource}: each statement becomes an {@code sql} subsegment.
 *
 * <p>RATIONALE: the bean is not replaced by a {@code TracedDataSource} but proxied as its own
 * class (a {@code HikariDataSource} stays a {@code HikariDataSource} for whoever injects it by
 * type, and for Spring Boot's pool metrics), with its connection methods routed through the traced
 * data source; a data source whose class cannot be subclassed gets an interface proxy.
 */
final class DataSourceTracingPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<Recorder> recorder;
  private final boolean rawQueries;

  DataSourceTracingPostProcessor(ObjectProvider<Recorder> recorder, boolean rawQueries) {
    this.recorder = recorder;
    this.rawQueries = rawQueries;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource) || bean instanceof TracedDataSource || isTraced(bean)) {
      return bean;
    }
    try {
      Recorder tracing = recorder.getIfAvailable();
      if (tracing == null || !tracing.config().autoInstrument()) {
        return bean;
      }
      DataSource traced = TracedDataSource.builder((DataSource) bean, tracing).rawQueries(rawQueries).build();
      if (!Modifier.isFinal(bean.getClass().getModifiers())) {
        try {
          return proxy(bean, traced, true);
        } catch (RuntimeException e) {
          // Not subclassable after all (no visible constructor, a sealed hierarchy): interfaces.
        }
      }
      return proxy(bean, traced, false);
    } catch (RuntimeException e) {
      return bean; // the data source stays untraced rather than the application not starting
    }
  }

  private static Object proxy(Object bean, DataSource traced, boolean asItsClass) {
    ProxyFactory proxy = new ProxyFactory(bean);
    proxy.setProxyTargetClass(asItsClass);
    proxy.addAdvice(new TracedConnections(traced));
    return proxy.getProxy(bean.getClass().getClassLoader());
  }

  private static boolean isTraced(Object bean) {
    if (bean instanceof Advised) {
      for (Advisor advisor : ((Advised) bean).getAdvisors()) {
        if (advisor.getAdvice() instanceof TracedConnections) {
          return true;
        }
      }
    }
    return false;
  }

  /** Sends the connection methods to the traced data source; everything else to the bean. */
  private static final class TracedConnections implements MethodInterceptor {
    private final DataSource traced;

    TracedConnections(DataSource traced) {
      this.traced = traced;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
      Object[] args = invocation.getArguments();
      switch (invocation.getMethod().getName()) {
        case "getConnection":
          if (args.length == 0) {
            return traced.getConnection();
          }
          return traced.getConnection((String) args[0], (String) args[1]);
        case "createConnectionBuilder":
          return args.length == 0 ? traced.createConnectionBuilder() : invocation.proceed();
        default:
          return invocation.proceed();
      }
    }
  }
}

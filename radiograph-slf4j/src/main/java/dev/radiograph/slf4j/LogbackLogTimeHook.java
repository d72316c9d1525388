package dev.radiograph.slf4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.radiograph.context.LogContextWriter;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Logback's hook for {@link LogContextWriter#refreshAtLogTime}: a turbo filter, which Logback asks
 * before it makes each event (and so before it copies the MDC into it). It only brings the MDC up
 * to date and decides nothing. Lines below their logger's level are left alone, so disabled debug
 * calls cost a level comparison.
 *
 * <p>Logback drops turbo filters when it is reconfigured (Spring Boot does so as it starts); the
 * hook is also a reset-resistant context listener that puts itself back.
 *
 * <p>Only loaded when Logback is on the class path.
 */
final class LogbackLogTimeHook extends TurboFilter implements LoggerContextListener {
  private static final String NAME = "radiograph-log-correlation";

  private LogbackLogTimeHook() {
    setName(NAME);
  }

  /** Installs the hook in SLF4J's Logback context, once; false when SLF4J does not log through Logback. */
  static synchronized boolean install() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext)) {
      return false;
    }
    LoggerContext context = (LoggerContext) factory;
    for (LoggerContextListener listener : context.getCopyOfListenerList()) {
      if (listener instanceof LogbackLogTimeHook) {
        return true;
      }
    }
    LogbackLogTimeHook hook = new LogbackLogTimeHook();
    hook.setContext(context);
    hook.start();
    context.addListener(hook);
    context.addTurboFilter(hook);
    return true;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && logger != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // not going to be logged: nothing to bring up to date
    }
    LogContextWriter.refreshAtLogTime();
    return FilterReply.NEUTRAL;
  }

  @Override
  public boolean isResetResistant() {
    return true;
  }

  @Override
  public void onReset(LoggerContext context) {
    if (!context.getTurboFilterList().contains(this)) {
      context.addTurboFilter(this);
    }
  }

  @Override
  public void onStart(LoggerContext context) {}

  @Override
  public void onStop(LoggerContext context) {}

  @Override
  public void onLevelChange(Logger logger, Level level) {}
}

package dev.radiograph.log4j2;

import dev.radiograph.context.LogContextWriter;
import dev.radiograph.context.LogCorrelationKeys;

/**
 * Keeps Log4j 2's {@code ThreadContext} in step with the current segment or subsegment, for
 * applications that log with the Log4j 2 API without SLF4J: the keys and values are those of
 * radiograph-slf4j ({@code AWS-XRAY-TRACE-ID}, {@code traceId}, {@code spanId}; see
 * {@link LogCorrelationKeys}), read in a pattern with {@code %X{traceId}}.
 *
 * <p>Found with {@link java.util.ServiceLoader} with the default keys; {@code log-correlation=false}
 * turns it off; one added in code replaces the class path's:
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder()
 *     .listener(Log4j2LogCorrelation.withKeys(LogCorrelationKeys.builder().xrayTraceIdKey(null).build()))
 *     .build();
 * }</pre>
 *
 * <p>An application that logs through SLF4J into Log4j 2 (log4j-slf4j2-impl) needs only one of
 * the two modules: the MDC and the {@code ThreadContext} are then the same map.
 */
public final class Log4j2LogCorrelation extends LogContextWriter {
  /** The default keys: what {@link java.util.ServiceLoader} makes. */
  public Log4j2LogCorrelation() {
    this(LogCorrelationKeys.defaults());
  }

  private Log4j2LogCorrelation(LogCorrelationKeys keys) {
    super(keys, ThreadContextMap.INSTANCE);
  }

  /**
   * With log4j-core, the ids are handed to each event as it is made
   * ({@link RadiographContextDataProvider}, which log4j-core finds itself); without it (another
   * Log4j 2 API implementation), they are written to the {@code ThreadContext} at every change.
   */
  @Override
  protected boolean installLogTimeHook() {
    return LOG4J_CORE;
  }

  private static final boolean LOG4J_CORE = isPresent("org.apache.logging.log4j.core.util.ContextDataProvider", Log4j2LogCorrelation.class);


  /** A listener writing under {@code keys} ({@link LogCorrelationKeys#builder()}). */
  public static Log4j2LogCorrelation withKeys(LogCorrelationKeys keys) {
    return new Log4j2LogCorrelation(keys);
  }
}

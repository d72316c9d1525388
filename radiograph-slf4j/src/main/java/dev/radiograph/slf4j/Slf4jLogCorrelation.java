package dev.radiograph.slf4j;

import dev.radiograph.context.LogContextWriter;
import dev.radiograph.context.LogCorrelationKeys;

/**
 * Keeps SLF4J's MDC in step with the current segment or subsegment, so that every log line can
 * carry the request's trace id: {@code AWS-XRAY-TRACE-ID} ({@code 1-5759e988-bd862e3fe1be46a994272793@53995c3f42cd8ad8},
 * as aws-xray-sdk-java writes it), {@code traceId} (32-hex W3C form) and {@code spanId} (the
 * entity id), as Spring Boot's correlation pattern reads them.
 *
 * <p>On the class path it is found with {@link java.util.ServiceLoader} and uses the default keys
 * ({@link LogCorrelationKeys}); {@code log-correlation=false} turns it off. To rename or remove a
 * key, add one in code, which replaces the class path's:
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder()
 *     .listener(Slf4jLogCorrelation.withKeys(
 *         LogCorrelationKeys.builder().xrayTraceIdKey(null).spanIdKey("span").build()))
 *     .build();
 * }</pre>
 *
 * <p>With Logback, the keys are written just before each line is logged, from the recorder's
 * current entity (so a request that logs nothing pays almost nothing, and Vert.x callbacks log
 * their own request's ids), and removed when a thread's work ends. With another SLF4J backend
 * that has an MDC (Log4j 2 through log4j-slf4j2-impl, ...), they are written when the current
 * entity changes (begin, end, a {@code ContextSnapshot} applied on an executor or virtual thread,
 * an integration moving the request). Other MDC keys are left alone.
 */
public final class Slf4jLogCorrelation extends LogContextWriter {
  /** The default keys: what {@link java.util.ServiceLoader} makes. */
  public Slf4jLogCorrelation() {
    this(LogCorrelationKeys.defaults());
  }

  private Slf4jLogCorrelation(LogCorrelationKeys keys) {
    super(keys, MdcMap.INSTANCE);
  }

  /**
   * With Logback, the ids are written just before each line is logged, from the recorder's
   * current entity ({@link LogbackLogTimeHook}); with another backend, at every change.
   */
  @Override
  protected boolean installLogTimeHook() {
    return LOGBACK && LogbackLogTimeHook.install();
  }

  private static final boolean LOGBACK = isPresent("ch.qos.logback.classic.turbo.TurboFilter", Slf4jLogCorrelation.class);


  /** A listener writing under {@code keys} ({@link LogCorrelationKeys#builder()}). */
  public static Slf4jLogCorrelation withKeys(LogCorrelationKeys keys) {
    return new Slf4jLogCorrelation(keys);
  }
}

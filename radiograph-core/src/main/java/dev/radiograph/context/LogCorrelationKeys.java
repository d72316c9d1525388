package dev.radiograph.context;

/**
 * The keys under which log correlation writes the current entity's ids into a thread's logging
 * context (SLF4J's MDC, Log4j 2's {@code ThreadContext}). Immutable; each key may be left out.
 *
 * <ul>
 *   <li>{@value #DEFAULT_XRAY_TRACE_ID_KEY}: {@code 1-5759e988-bd862e3fe1be46a994272793@53995c3f42cd8ad8},
 *       the X-Ray trace id, {@code @}, the entity id, as aws-xray-sdk-java's log modules write it;
 *   <li>{@value #DEFAULT_TRACE_ID_KEY}: the trace id's 32-hex W3C form (the id {@code traceparent}
 *       carries), as Spring Boot's and Micrometer's correlation pattern reads it;
 *   <li>{@value #DEFAULT_SPAN_ID_KEY}: the current segment's or subsegment's 16-hex id.
 * </ul>
 */
public final class LogCorrelationKeys {
  /** The key aws-xray-sdk-java writes: {@code AWS-XRAY-TRACE-ID}. */
  public static final String DEFAULT_XRAY_TRACE_ID_KEY = "AWS-XRAY-TRACE-ID";
  /** The key Spring Boot's correlation pattern reads for the trace id: {@code traceId}. */
  public static final String DEFAULT_TRACE_ID_KEY = "traceId";
  /** The key Spring Boot's correlation pattern reads for the span id: {@code spanId}. */
  public static final String DEFAULT_SPAN_ID_KEY = "spanId";

  private static final LogCorrelationKeys DEFAULTS = builder().build();

  private final String xrayTraceIdKey;
  private final String traceIdKey;
  private final String spanIdKey;

  private LogCorrelationKeys(Builder builder) {
    this.xrayTraceIdKey = builder.xrayTraceIdKey;
    this.traceIdKey = builder.traceIdKey;
    this.spanIdKey = builder.spanIdKey;
  }

  /** All three keys under their default names. */
  public static LogCorrelationKeys defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The key of {@code traceId@entityId} in X-Ray's form, or null when left out. */
  public String xrayTraceIdKey() {
    return xrayTraceIdKey;
  }

  /** The key of the W3C (32-hex) trace id, or null when left out. */
  public String traceIdKey() {
    return traceIdKey;
  }

  /** The key of the entity id, or null when left out. */
  public String spanIdKey() {
    return spanIdKey;
  }

  @Override
  public String toString() {
    return "LogCorrelationKeys{xrayTraceId=" + xrayTraceIdKey + ", traceId=" + traceIdKey + ", spanId=" + spanIdKey + '}';
  }

  /** Builds {@link LogCorrelationKeys}; a null key leaves that id out of the logs. */
  public static final class Builder {
    private String xrayTraceIdKey = DEFAULT_XRAY_TRACE_ID_KEY;
    private String traceIdKey = DEFAULT_TRACE_ID_KEY;
    private String spanIdKey = DEFAULT_SPAN_ID_KEY;

    private Builder() {}

    /** The key of {@code traceId@entityId} (X-Ray's form); null leaves it out. */
    public Builder xrayTraceIdKey(String key) {
      this.xrayTraceIdKey = checked(key);
      return this;
    }

    /** The key of the 32-hex W3C trace id; null leaves it out. */
    public Builder traceIdKey(String key) {
      this.traceIdKey = checked(key);
      return this;
    }

    /** The key of the entity id; null leaves it out. */
    public Builder spanIdKey(String key) {
      this.spanIdKey = checked(key);
      return this;
    }

    /** The keys; two ids under one key are refused. */
    public LogCorrelationKeys build() {
      if (same(xrayTraceIdKey, traceIdKey) || same(xrayTraceIdKey, spanIdKey) || same(traceIdKey, spanIdKey)) {
        throw new IllegalArgumentException("log correlation keys must differ: xrayTraceId=" + xrayTraceIdKey
            + ", traceId=" + traceIdKey + ", spanId=" + spanIdKey);
      }
      return new LogCorrelationKeys(this);
    }

    private static String checked(String key) {
      if (key != null && key.isBlank()) {
        throw new IllegalArgumentException("a log correlation key must not be blank (null leaves the id out)");
      }
      return key;
    }

    private static boolean same(String a, String b) {
      return a != null && a.equals(b);
    }
  }
}

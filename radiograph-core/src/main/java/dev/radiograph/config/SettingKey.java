package dev.radiograph.config;

/**
 * The settings every Radiograph module reads, with the environment variable and JVM system
 * property that set them. Precedence, highest first: environment variable, JVM system property
 * ({@code radiograph.<key>}), the application's own settings, the default.
 */
public enum SettingKey {
  DAEMON_ADDRESS("daemon-address", "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"),
  AUTO_INSTRUMENT("auto-instrument", null, "true"),
  CONTEXT_MISSING("context-missing", "AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR"),
  PLUGINS("plugins", null, ""),
  SAMPLING("sampling", null, "true"),
  SAMPLING_RULES("sampling-rules", null, null),
  TRACING_NAME("tracing-name", "AWS_XRAY_TRACING_NAME", null),
  DYNAMIC_NAMING("dynamic-naming", null, null),
  STREAMING_THRESHOLD("streaming-threshold", null, "100"),
  ENABLED("enabled", "AWS_XRAY_SDK_ENABLED", "true"),
  CAPTURE_ANOMALIES("capture-anomalies", null, "false"),
  ANOMALY_LATENCY_THRESHOLD("anomaly-latency-threshold", null, null),
  LOG_CORRELATION("log-correlation", null, "true"),
  AWS_SDK_GLOBAL_INTERCEPTOR("aws-sdk-global-interceptor", null, "true"),
  AWS_FIELDS("aws-fields", null, null);

  /** Prefix of the JVM system properties and of the Spring Boot properties. */
  public static final String PROPERTY_PREFIX = "radiograph.";

  private final String key;
  private final String environmentVariable;
  private final String defaultValue;

  SettingKey(String key, String environmentVariable, String defaultValue) {
    this.key = key;
    this.environmentVariable = environmentVariable;
    this.defaultValue = defaultValue;
  }

  /** The key without prefix, as in application settings: {@code daemon-address}. */
  public String key() {
    return key;
  }

  /** The JVM system property: {@code radiograph.daemon-address}. */
  public String propertyName() {
    return PROPERTY_PREFIX + key;
  }

  /** The environment variable that overrides everything, or {@code null} when there is none. */
  public String environmentVariable() {
    return environmentVariable;
  }

  /** The default as text, or {@code null} when the setting is absent by default. */
  public String defaultValue() {
    return defaultValue;
  }

  /** The key with this {@link #key()}, or {@code null}. */
  public static SettingKey forKey(String key) {
    for (SettingKey k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }
}

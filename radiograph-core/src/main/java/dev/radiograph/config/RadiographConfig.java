package dev.radiograph.config;

import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.internal.DaemonAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Radiograph's settings, resolved once with one precedence for every module: environment
 * variable, then JVM system property ({@code -Dradiograph.<key>}), then the application's own
 * settings (code, {@code application.properties}, framework config), then the default.
 *
 * <p>Resolution validates every value and fails with an {@link InvalidSettingException} that
 * names the key, the bad value and where it came from; a running application never sees a bad
 * setting.
 */
public final class RadiographConfig {
  private final DaemonAddress daemonAddress;
  private final boolean autoInstrument;
  private final ContextMissingStrategy contextMissing;
  private final List<String> plugins;
  private final boolean sampling;
  private final String samplingRules;
  private final String tracingName;
  private final String dynamicNaming;
  private final int streamingThreshold;
  private final boolean enabled;
  private final boolean captureAnomalies;
  private final Duration anomalyLatencyThreshold;
  private final boolean logCorrelation;
  private final boolean awsSdkGlobalInterceptor;
  private final String awsFields;
  private final Map<SettingKey, String> sources;

  private RadiographConfig(Resolver r) {
    daemonAddress = r.daemonAddress();
    autoInstrument = r.bool(SettingKey.AUTO_INSTRUMENT);
    contextMissing = r.contextMissing();
    plugins = r.list(SettingKey.PLUGINS);
    sampling = r.bool(SettingKey.SAMPLING);
    samplingRules = r.text(SettingKey.SAMPLING_RULES);
    tracingName = r.text(SettingKey.TRACING_NAME);
    dynamicNaming = r.text(SettingKey.DYNAMIC_NAMING);
    streamingThreshold = r.positiveInt(SettingKey.STREAMING_THRESHOLD);
    enabled = r.bool(SettingKey.ENABLED);
    captureAnomalies = r.bool(SettingKey.CAPTURE_ANOMALIES);
    anomalyLatencyThreshold = r.duration(SettingKey.ANOMALY_LATENCY_THRESHOLD);
    logCorrelation = r.bool(SettingKey.LOG_CORRELATION);
    awsSdkGlobalInterceptor = r.bool(SettingKey.AWS_SDK_GLOBAL_INTERCEPTOR);
    awsFields = r.text(SettingKey.AWS_FIELDS);
    sources = Collections.unmodifiableMap(r.sources);
  }

  /**
   * Resolves the settings from this process's environment and system properties over the
   * application's own settings.
   *
   * @param application settings keyed by {@link SettingKey#key()} (no prefix); may be empty
   * @throws InvalidSettingException when a value cannot be used
   */
  public static RadiographConfig resolve(Map<String, String> application) {
    return resolve(application, System.getenv(), System.getProperties());
  }

  /**
   * Resolves the settings from the given sources; for tests and for embedding where the process
   * environment must not apply.
   *
   * @throws InvalidSettingException when a value cannot be used
   */
  public static RadiographConfig resolve(
      Map<String, String> application, Map<String, String> environment, Properties systemProperties) {
    return new RadiographConfig(new Resolver(
        Objects.requireNonNull(application, "application"),
        Objects.requireNonNull(environment, "environment"),
        Objects.requireNonNull(systemProperties, "systemProperties")));
  }

  /**
   * {@code daemon-address} / {@code AWS_XRAY_DAEMON_ADDRESS}, parsed. Its type is internal (not
   * exported from the module): read it as text with {@code toString()}, which writes the canonical
   * form ({@code 127.0.0.1:2000}, or {@code tcp:host:port udp:host:port} when the two differ).
   */
  @SuppressWarnings("exports") // kept for its callers; its type is not part of the API
  public DaemonAddress daemonAddress() {
    return daemonAddress;
  }

  /**
   * {@code log-correlation}: whether log-correlation listeners (radiograph-slf4j,
   * radiograph-log4j2) put the current trace and entity ids in every log line's context.
   */
  public boolean logCorrelation() {
    return logCorrelation;
  }

  /**
   * {@code aws-sdk-global-interceptor}: whether radiograph-aws-sdk-v2's interceptor, registered
   * with the AWS SDK for every client, records calls (false: only clients given the interceptor
   * explicitly are recorded).
   */
  public boolean awsSdkGlobalInterceptor() {
    return awsSdkGlobalInterceptor;
  }

  /**
   * {@code aws-fields}: a {@code .properties} file of the AWS call fields radiograph-aws-sdk-v2
   * records, over its built-in ones; null when not set.
   */
  public String awsFields() {
    return awsFields;
  }

  /** {@code auto-instrument}: whether integrations wrap data sources, templates and clients. */
  public boolean autoInstrument() {
    return autoInstrument;
  }

  /** {@code context-missing} / {@code AWS_XRAY_CONTEXT_MISSING}. */
  public ContextMissingStrategy contextMissing() {
    return contextMissing;
  }

  /** {@code plugins}: plugin names, comma separated in the setting. Never null. */
  public List<String> plugins() {
    return plugins;
  }

  /** {@code sampling}: false records every request. */
  public boolean sampling() {
    return sampling;
  }

  /** {@code sampling-rules}: a file path or classpath resource, or {@code null}. */
  public String samplingRules() {
    return samplingRules;
  }

  /** {@code tracing-name} / {@code AWS_XRAY_TRACING_NAME}, or {@code null} when not set. */
  public String tracingName() {
    return tracingName;
  }

  /** {@code dynamic-naming}: a host pattern, or {@code null}. */
  public String dynamicNaming() {
    return dynamicNaming;
  }

  /** {@code streaming-threshold}: finished subsegments held before they are sent on their own. */
  public int streamingThreshold() {
    return streamingThreshold;
  }

  /** {@code enabled} / {@code AWS_XRAY_SDK_ENABLED}: false makes recording a no-op. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code capture-anomalies}: keep unsampled requests that fail or are slow. */
  public boolean captureAnomalies() {
    return captureAnomalies;
  }

  /** {@code anomaly-latency-threshold}, or {@code null} when not set. */
  public Duration anomalyLatencyThreshold() {
    return anomalyLatencyThreshold;
  }

  /** Where a setting's value came from, for diagnostics ("environment variable X", "default"). */
  public String sourceOf(SettingKey key) {
    return sources.getOrDefault(key, "default");
  }

  /** Parses a duration as {@code 2s}, {@code 500ms}, {@code 1m}, {@code PT2S}, or milliseconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 duration");
      }
    }
    int unitStart = 0;
    while (unitStart < t.length() && (Character.isDigit(t.charAt(unitStart)) || t.charAt(unitStart) == '.')) {
      unitStart++;
    }
    if (unitStart == 0) {
      throw new IllegalArgumentException("expected a duration such as 2s, 500ms or PT2S");
    }
    double amount;
    try {
      amount = Double.parseDouble(t.substring(0, unitStart));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a duration such as 2s, 500ms or PT2S");
    }
    String unit = t.substring(unitStart).trim();
    double nanosPerUnit;
    switch (unit) {
      case "":
      case "ms":
        nanosPerUnit = 1e6;
        break;
      case "ns":
        nanosPerUnit = 1;
        break;
      case "us":
        nanosPerUnit = 1e3;
        break;
      case "s":
        nanosPerUnit = 1e9;
        break;
      case "m":
        nanosPerUnit = 60e9;
        break;
      case "h":
        nanosPerUnit = 3600e9;
        break;
      default:
        throw new IllegalArgumentException("unknown unit '" + unit + "' (use ns, us, ms, s, m or h)");
    }
    return Duration.ofNanos(Math.round(amount * nanosPerUnit));
  }

  /** Reads each key from the sources in precedence order and parses it. */
  private static final class Resolver {
    private final Map<String, String> application;
    private final Map<String, String> environment;
    private final Properties systemProperties;
    final Map<SettingKey, String> sources = new EnumMap<>(SettingKey.class);

    Resolver(Map<String, String> application, Map<String, String> environment, Properties systemProperties) {
      this.application = application;
      this.environment = environment;
      this.systemProperties = systemProperties;
    }

    /** The raw value, or null; records its source. */
    String raw(SettingKey key) {
      String env = key.environmentVariable();
      if (env != null) {
        String value = environment.get(env);
        if (value != null && !value.isBlank()) {
          sources.put(key, "environment variable " + env);
          return value.trim();
        }
      }
      String property = systemProperties.getProperty(key.propertyName());
      if (property != null && !property.isBlank()) {
        sources.put(key, "system property " + key.propertyName());
        return property.trim();
      }
      String app = application.get(key.key());
      if (app == null) {
        app = application.get(key.propertyName());
      }
      if (app != null && !app.isBlank()) {
        sources.put(key, "application setting " + key.propertyName());
        return app.trim();
      }
      sources.put(key, "default");
      return key.defaultValue();
    }

    InvalidSettingException invalid(SettingKey key, String value, String problem) {
      return new InvalidSettingException(key, value, sources.getOrDefault(key, "default"), problem);
    }

    String text(SettingKey key) {
      return raw(key);
    }

    boolean bool(SettingKey key) {
      String value = raw(key);
      if ("true".equalsIgnoreCase(value)) {
        return true;
      }
      if ("false".equalsIgnoreCase(value)) {
        return false;
      }
      throw invalid(key, value, "expected true or false");
    }

    int positiveInt(SettingKey key) {
      String value = raw(key);
      int parsed;
      try {
        parsed = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw invalid(key, value, "expected a whole number");
      }
      if (parsed < 1) {
        throw invalid(key, value, "must be at least 1");
      }
      return parsed;
    }

    List<String> list(SettingKey key) {
      String value = raw(key);
      List<String> items = new ArrayList<>();
      if (value != null) {
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
      }
      return Collections.unmodifiableList(items);
    }

    Duration duration(SettingKey key) {
      String value = raw(key);
      if (value == null) {
        return null;
      }
      try {
        Duration d = parseDuration(value);
        if (d.isNegative() || d.isZero()) {
          throw invalid(key, value, "must be positive");
        }
        return d;
      } catch (IllegalArgumentException e) {
        if (e instanceof InvalidSettingException) {
          throw e;
        }
        throw invalid(key, value, e.getMessage());
      }
    }

    ContextMissingStrategy contextMissing() {
      SettingKey key = SettingKey.CONTEXT_MISSING;
      String value = raw(key);
      String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (ContextMissingStrategy s : ContextMissingStrategy.values()) {
        if (s.name().equals(normalized)) {
          return s;
        }
      }
      throw invalid(key, value, "expected LOG_ERROR, RUNTIME_ERROR or IGNORE_ERROR");
    }

    DaemonAddress daemonAddress() {
      SettingKey key = SettingKey.DAEMON_ADDRESS;
      String value = raw(key);
      try {
        return DaemonAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw invalid(key, value, e.getMessage());
      }
    }
  }
}

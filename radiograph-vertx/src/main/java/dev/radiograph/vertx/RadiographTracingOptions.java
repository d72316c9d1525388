package dev.radiograph.vertx;

import dev.radiograph.config.SettingKey;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Vert.x tracing options that turn Radiograph on and carry its settings, the same keys as
 * everywhere ({@code tracing-name}, {@code daemon-address}, {@code sampling-rules}, ...). As for
 * any application setting, an environment variable or a {@code -Dradiograph.*} system property for
 * the same key wins.
 *
 * <pre>{@code
 * new VertxOptions().setTracingOptions(new RadiographTracingOptions()
 *     .setTracingName("orders")
 *     .setSetting(SettingKey.SAMPLING_RULES, "sampling-rules.json"));
 * }</pre>
 *
 * <p>In JSON (a Vert.x launcher's {@code tracingOptions}), each member is a setting:
 * {@code {"tracing-name": "orders", "daemon-address": "127.0.0.1:2000"}}.
 */
public final class RadiographTracingOptions extends TracingOptions {
  private final Map<String, String> settings = new LinkedHashMap<>();

  /** Options with no settings of their own: environment, system properties and defaults apply. */
  public RadiographTracingOptions() {}

  /** A copy of {@code other}. */
  public RadiographTracingOptions(RadiographTracingOptions other) {
    super(other);
    settings.putAll(other.settings);
  }

  /**
   * Options from JSON whose members are settings, by key ({@code tracing-name}) or property name
   * ({@code radiograph.tracing-name}).
   *
   * @throws IllegalArgumentException for a member that is not a Radiograph setting
   */
  public RadiographTracingOptions(JsonObject json) {
    super(json);
    for (Map.Entry<String, Object> member : json) {
      SettingKey key = keyOf(member.getKey());
      if (key == null) {
        throw new IllegalArgumentException("Radiograph: \"" + member.getKey() + "\" in the tracing options is"
            + " not a Radiograph setting; known: tracing-name, daemon-address, sampling-rules, ...");
      }
      if (member.getValue() != null) {
        settings.put(key.key(), String.valueOf(member.getValue()));
      }
    }
  }

  private static SettingKey keyOf(String name) {
    String key = name.startsWith(SettingKey.PROPERTY_PREFIX) ? name.substring(SettingKey.PROPERTY_PREFIX.length()) : name;
    return SettingKey.forKey(key);
  }

  /** The service's name, which names its segments ({@code tracing-name}). */
  public RadiographTracingOptions setTracingName(String tracingName) {
    return setSetting(SettingKey.TRACING_NAME, tracingName);
  }

  /** Where the daemon listens: {@code host:port} or {@code tcp:host:port udp:host:port}. */
  public RadiographTracingOptions setDaemonAddress(String daemonAddress) {
    return setSetting(SettingKey.DAEMON_ADDRESS, daemonAddress);
  }

  /** Sets any setting; {@code null} removes it. Values are checked when Vert.x is built. */
  public RadiographTracingOptions setSetting(SettingKey key, String value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      settings.remove(key.key());
    } else {
      settings.put(key.key(), value);
    }
    return this;
  }

  /** The settings given here, by key; unmodifiable. */
  public Map<String, String> getSettings() {
    return Collections.unmodifiableMap(settings);
  }

  @Override
  public RadiographTracingOptions copy() {
    return new RadiographTracingOptions(this);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    settings.forEach(json::put);
    return json;
  }

  @Override
  public String toString() {
    return "RadiographTracingOptions" + settings;
  }
}

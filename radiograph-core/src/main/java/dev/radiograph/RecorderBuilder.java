package dev.radiograph;

import dev.radiograph.config.RadiographConfig;
import dev.radiograph.config.SettingKey;
import dev.radiograph.context.SegmentContext;
import dev.radiograph.context.SegmentContextProvider;
import dev.radiograph.emit.Emitter;
import dev.radiograph.plugins.Plugin;
import dev.radiograph.sampling.Sampler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Builds a {@link Recorder}; get one from {@link Recorder#builder()}. Values given here are the
 * application's settings: an environment variable or a JVM system property for the same key still
 * wins (see {@link RadiographConfig}).
 */
public final class RecorderBuilder {
  private final Map<String, String> settings = new HashMap<>();
  private Map<String, String> environment;
  private Properties systemProperties;
  private SegmentContext context;
  private Sampler sampler;
  private Emitter emitter;
  private final List<Plugin> plugins = new ArrayList<>();
  private final List<EntityListener> listeners = new ArrayList<>();
  private boolean loadListeners = true;

  RecorderBuilder() {}

  /**
   * Adds a plugin instance (your own, or a built-in one configured in code), besides those the
   * {@code plugins} setting names.
   */
  public RecorderBuilder plugin(Plugin plugin) {
    plugins.add(Objects.requireNonNull(plugin, "plugin"));
    return this;
  }

  /**
   * Adds a listener told of every begin, end and change of the current entity, besides those found
   * with {@link ServiceLoader}; it replaces a found one of the same class (to configure it).
   */
  public RecorderBuilder listener(EntityListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Whether listeners are also found with {@link ServiceLoader} on the class path (and module
   * path): true by default; false takes only those added with {@link #listener}.
   */
  public RecorderBuilder loadListeners(boolean load) {
    this.loadListeners = load;
    return this;
  }

  /** The service's name, used by integrations to name segments ({@code tracing-name}). */
  public RecorderBuilder tracingName(String tracingName) {
    return setting(SettingKey.TRACING_NAME, tracingName);
  }

  /** {@code host:port} or {@code tcp:host:port udp:host:port} ({@code daemon-address}). */
  public RecorderBuilder daemonAddress(String daemonAddress) {
    return setting(SettingKey.DAEMON_ADDRESS, daemonAddress);
  }

  /** What to do when there is no current segment ({@code context-missing}). */
  public RecorderBuilder contextMissing(ContextMissingStrategy strategy) {
    return setting(SettingKey.CONTEXT_MISSING, Objects.requireNonNull(strategy, "strategy").name());
  }

  /** Finished subsegments a segment holds before sending them on their own. */
  public RecorderBuilder streamingThreshold(int threshold) {
    return setting(SettingKey.STREAMING_THRESHOLD, Integer.toString(threshold));
  }

  /** False records every request ({@code sampling}). */
  public RecorderBuilder sampling(boolean sampling) {
    return setting(SettingKey.SAMPLING, Boolean.toString(sampling));
  }

  /** False turns recording off; headers still propagate ({@code enabled}). */
  public RecorderBuilder enabled(boolean enabled) {
    return setting(SettingKey.ENABLED, Boolean.toString(enabled));
  }

  /** Sets any setting by key; {@code null} removes it. */
  public RecorderBuilder setting(SettingKey key, String value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      settings.remove(key.key());
    } else {
      settings.put(key.key(), value);
    }
    return this;
  }

  /**
   * Adds application settings keyed by {@link SettingKey#key()} ({@code daemon-address}) or
   * property name ({@code radiograph.daemon-address}); other keys are ignored.
   */
  public RecorderBuilder settings(Map<String, String> applicationSettings) {
    for (Map.Entry<String, String> e : applicationSettings.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(SettingKey.PROPERTY_PREFIX)) {
        key = key.substring(SettingKey.PROPERTY_PREFIX.length());
      }
      SettingKey known = SettingKey.forKey(key);
      if (known != null) {
        setting(known, e.getValue());
      }
    }
    return this;
  }

  /** Reads environment variables from {@code environment} instead of the process's. */
  public RecorderBuilder environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** Reads system properties from {@code properties} instead of the JVM's. */
  public RecorderBuilder systemProperties(Properties properties) {
    Properties copy = new Properties();
    copy.putAll(properties);
    this.systemProperties = copy;
    return this;
  }

  /**
   * Keeps the current entity somewhere else than the default: by default the context of the
   * first {@link SegmentContextProvider} on the class path (radiograph-vertx provides the Vert.x
   * context), else a thread local.
   */
  public RecorderBuilder segmentContext(SegmentContext context) {
    this.context = Objects.requireNonNull(context, "context");
    return this;
  }

  /** Decides sampling instead of the settings' sampler. */
  public RecorderBuilder sampler(Sampler sampler) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return this;
  }

  /** Sends documents somewhere else than the daemon address's UDP emitter. */
  public RecorderBuilder emitter(Emitter emitter) {
    this.emitter = Objects.requireNonNull(emitter, "emitter");
    return this;
  }

  /**
   * Resolves the settings and builds the recorder.
   *
   * @throws dev.radiograph.config.InvalidSettingException naming the key and the bad value
   */
  public Recorder build() {
    Map<String, String> env = environment != null ? environment : System.getenv();
    RadiographConfig config = RadiographConfig.resolve(
        settings, env, systemProperties != null ? systemProperties : System.getProperties());
    return new Recorder(config, this);
  }

  // Read by the recorder's constructor.

  private static boolean enabledFor(EntityListener listener, RadiographConfig config) {
    try {
      return listener.isEnabled(config);
    } catch (RuntimeException e) {
      System.getLogger("dev.radiograph").log(System.Logger.Level.WARNING,
          "Radiograph: the entity listener " + listener.getClass().getName() + " failed; it is left out", e);
      return false;
    }
  }

  Map<String, String> environmentOrProcess() {
    return environment != null ? environment : System.getenv();
  }

  SegmentContext contextOrDefault() {
    return context != null ? context : SegmentContextProvider.defaultContext();
  }

  Sampler samplerOrNull() {
    return sampler;
  }

  Emitter emitterOrNull() {
    return emitter;
  }

  List<Plugin> plugins() {
    return plugins;
  }

  /**
   * The listeners added here, then those the class path provides (a broken provider is skipped),
   * less those that decline {@code config}.
   */
  List<EntityListener> allListeners(RadiographConfig config) {
    List<EntityListener> all = new ArrayList<>(listeners);
    if (loadListeners) {
      try {
        for (EntityListener listener : ServiceLoader.load(EntityListener.class, RecorderBuilder.class.getClassLoader())) {
          // One added here replaces the class path's of the same class: that is how an
          // application configures a listener the class path would otherwise add with defaults.
          if (listeners.stream().noneMatch(added -> added.getClass() == listener.getClass())) {
            all.add(listener);
          }
        }
      } catch (ServiceConfigurationError e) {
        System.getLogger("dev.radiograph").log(System.Logger.Level.WARNING,
            "Radiograph: an entity listener on the class path could not be loaded; tracing goes on without it", e);
      }
    }
    all.removeIf(listener -> !enabledFor(listener, config));
    return all;
  }
}

package dev.radiograph;

import dev.radiograph.internal.JsonWriter;
import dev.radiograph.plugins.PluginData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the service runs, from the {@code plugins} setting: the {@code aws} block entries and the
 * {@code origin} every segment carries. Collected in the background when the recorder is built
 * (start-up never waits for metadata endpoints); segments begun before it arrives go without.
 * The entries are serialized once, so a segment pays a copy of bytes, not a map.
 */
final class PluginEnvironment {
  static final PluginEnvironment NONE = new PluginEnvironment(CompletableFuture.completedFuture(PluginData.empty()));

  private final CompletableFuture<PluginData> pending;
  private volatile Entries entries; // null until the data has arrived

  PluginEnvironment(CompletableFuture<PluginData> pending) {
    this.pending = pending;
  }

  /**
   * Starts collecting the metadata of {@code given} plugins and those the {@code plugins} setting
   * names, in the background; an unknown name fails the build with the setting named.
   */
  static PluginEnvironment fromConfig(dev.radiograph.config.RadiographConfig config,
      List<dev.radiograph.plugins.Plugin> given) {
    List<dev.radiograph.plugins.Plugin> resolved = new ArrayList<>(given);
    try {
      resolved.addAll(dev.radiograph.plugins.Plugins.fromNames(config.plugins()));
    } catch (IllegalArgumentException e) {
      dev.radiograph.config.SettingKey key = dev.radiograph.config.SettingKey.PLUGINS;
      throw new dev.radiograph.config.InvalidSettingException(key, String.join(",", config.plugins()),
          config.sourceOf(key), e.getMessage());
    }
    if (resolved.isEmpty()) {
      return NONE;
    }
    return new PluginEnvironment(dev.radiograph.plugins.Plugins.collectAllAsync(resolved,
        dev.radiograph.plugins.Plugins.DEFAULT_BUDGET));
  }

  /** The serialized entries and origin, or null while the plugins are still collecting. */
  Entries entries() {
    Entries e = entries;
    if (e == null) {
      PluginData data = pending.getNow(null);
      if (data == null) {
        return null;
      }
      e = Entries.of(data);
      entries = e;
    }
    return e;
  }

  /** The plugins' data in the form documents need. */
  static final class Entries {
    final String origin;
    final List<String> keys;
    final List<byte[]> values;

    private Entries(String origin, List<String> keys, List<byte[]> values) {
      this.origin = origin;
      this.keys = keys;
      this.values = values;
    }

    static Entries of(PluginData data) {
      List<String> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (Map.Entry<String, Object> entry : data.aws().entrySet()) {
        JsonWriter w = new JsonWriter(256);
        JsonValues.write(w, entry.getValue());
        keys.add(entry.getKey());
        values.add(w.toByteArray());
      }
      return new Entries(data.origin(), List.copyOf(keys), List.copyOf(values));
    }

    boolean isEmpty() {
      return origin == null && keys.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("origin=").append(origin);
      for (int i = 0; i < keys.size(); i++) {
        text.append(", ").append(keys.get(i)).append('=').append(new String(values.get(i), StandardCharsets.UTF_8));
      }
      return text.toString();
    }
  }
}

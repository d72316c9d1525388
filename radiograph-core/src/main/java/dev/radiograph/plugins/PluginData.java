package dev.radiograph.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What plugins found about the environment: the segment's {@code origin} and entries of its
 * {@code aws} block, for example {@code "ec2" -> {"instance_id": "i-0abc", ...}} or {@code
 * "cloudwatch_logs" -> [{"log_group": "/ecs/shop", "arn": "arn:aws:logs:..."}]}.
 *
 * <p>Immutable: the maps and lists are unmodifiable copies made when the data is created. Values
 * are JSON values only: {@link String}, {@link Number}, {@link Boolean}, {@link Map} with {@code
 * String} keys, and {@link List} (any {@link Collection} becomes a list); a {@code null} map value
 * or list element is left out.
 */
public final class PluginData {
  private static final int MAX_DEPTH = 16;
  private static final PluginData EMPTY = new PluginData(null, Collections.emptyMap());

  private final String origin;
  private final Map<String, Object> aws;

  private PluginData(String origin, Map<String, Object> aws) {
    this.origin = origin;
    this.aws = aws;
  }

  /** No origin and no {@code aws} entries: what a plugin returns outside its environment. */
  public static PluginData empty() {
    return EMPTY;
  }

  /**
   * Data with an origin ({@code null} for none) and {@code aws} block entries.
   *
   * @throws IllegalArgumentException if a value is not a JSON value, a map key is not a string,
   *     or the origin is blank
   */
  public static PluginData of(String origin, Map<String, ?> aws) {
    Objects.requireNonNull(aws, "aws");
    if (origin != null && origin.isBlank()) {
      throw new IllegalArgumentException("origin must not be blank");
    }
    Map<String, Object> copy = copyMap(aws, "aws", 0);
    if (origin == null && copy.isEmpty()) {
      return EMPTY;
    }
    return new PluginData(origin, copy);
  }

  /** The segment's {@code origin}, such as {@code AWS::ECS::Container}; {@code null} for none. */
  public String origin() {
    return origin;
  }

  /** The {@code aws} block entries, unmodifiable, in the order they were given. */
  public Map<String, Object> aws() {
    return aws;
  }

  /** True when there is neither an origin nor an {@code aws} entry. */
  public boolean isEmpty() {
    return origin == null && aws.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PluginData)) {
      return false;
    }
    PluginData that = (PluginData) o;
    return Objects.equals(origin, that.origin) && aws.equals(that.aws);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, aws);
  }

  @Override
  public String toString() {
    return "PluginData{origin=" + origin + ", aws=" + aws + "}";
  }

  private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
    checkDepth(path, depth);
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
      }
      String key = (String) e.getKey();
      Object value = copyValue(e.getValue(), path + "." + key, depth + 1);
      if (value != null) {
        copy.put(key, value);
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value, String path, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    } else if (value instanceof Number) {
      if (value instanceof Double || value instanceof Float) {
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot hold");
        }
      }
      return value;
    } else if (value instanceof Map) {
      return copyMap((Map<?, ?>) value, path, depth);
    } else if (value instanceof Collection) {
      checkDepth(path, depth);
      List<Object> copy = new ArrayList<>(((Collection<?>) value).size());
      int i = 0;
      for (Object element : (Collection<?>) value) {
        Object item = copyValue(element, path + "[" + i++ + "]", depth + 1);
        if (item != null) {
          copy.add(item);
        }
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(path + " is a " + value.getClass().getName() + ", not a JSON value");
  }

  private static void checkDepth(String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + " nests deeper than " + MAX_DEPTH + " levels");
    }
  }
}

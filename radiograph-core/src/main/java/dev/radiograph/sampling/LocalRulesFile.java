package dev.radiograph.sampling;

import dev.radiograph.internal.JsonParseException;
import dev.radiograph.internal.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads X-Ray's local sampling rules file, version 1 ({@code service_name}) or 2 ({@code host}):
 *
 * <pre>{@code
 * {"version": 2,
 *  "rules": [{"description": "health", "host": "*", "http_method": "GET", "url_path": "/health",
 *             "fixed_target": 0, "rate": 0.0}],
 *  "default": {"fixed_target": 1, "rate": 0.05}}
 * }</pre>
 *
 * Strict on purpose: a typo in a key would otherwise silently sample the wrong traffic. Every
 * error names the file, the position (line and column for syntax, the JSON path for content)
 * and what is wrong.
 */
final class LocalRulesFile {
  private static final String CLASSPATH_PREFIX = "classpath:";
  private static final Set<String> V1_KEYS = Set.of(
      "description", "service_name", "http_method", "url_path", "fixed_target", "rate", "sampling_rate_boost");
  private static final Set<String> V2_KEYS = Set.of(
      "description", "host", "http_method", "url_path", "fixed_target", "rate", "sampling_rate_boost");
  private static final Set<String> BOOST_KEYS = Set.of("max_rate", "cooldown_window_minutes");
  private static final Set<String> DEFAULT_KEYS = Set.of("fixed_target", "rate");

  private LocalRulesFile() {}

  static LocalSampler load(String location, LongSupplier clock) {
    String text = read(location);
    try {
      return parse(text, location, clock);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("sampling-rules file '" + location + "': " + e.getMessage(), e);
    }
  }

  static LocalSampler parse(String text, String location, LongSupplier clock) {
    Object root = JsonReader.parse(text);
    Map<String, Object> file = object(root, "the file", location);
    Object versionValue = file.get("version");
    if (!(versionValue instanceof Long) || ((Long) versionValue != 1 && (Long) versionValue != 2)) {
      throw error(location, "version", "must be 1 or 2, found " + describe(versionValue));
    }
    int version = ((Long) versionValue).intValue();
    for (String key : file.keySet()) {
      if (!Set.of("version", "rules", "default").contains(key)) {
        throw error(location, key, "unknown key (expected version, rules, default)");
      }
    }
    if (!file.containsKey("default")) {
      throw error(location, "default", "is required: {\"fixed_target\": 1, \"rate\": 0.05}");
    }
    Map<String, Object> defaultRule = object(file.get("default"), "default", location);
    checkKeys(defaultRule, DEFAULT_KEYS, "default", location);
    SamplingRule fallback = SamplingRule.builder("Default")
        .priority(Integer.MAX_VALUE)
        .fixedTarget(fixedTarget(defaultRule, "default", location))
        .rate(rate(defaultRule, "default", location))
        .build();

    List<SamplingRule> rules = new ArrayList<>();
    Object rulesValue = file.get("rules");
    if (rulesValue != null) {
      if (!(rulesValue instanceof List)) {
        throw error(location, "rules", "must be an array, found " + describe(rulesValue));
      }
      List<?> list = (List<?>) rulesValue;
      for (int i = 0; i < list.size(); i++) {
        String path = "rules[" + i + "]";
        Map<String, Object> rule = object(list.get(i), path, location);
        checkKeys(rule, version == 1 ? V1_KEYS : V2_KEYS, path, location);
        String hostKey = version == 1 ? "service_name" : "host";
        Object description = rule.get("description");
        if (description != null && !(description instanceof String)) {
          throw error(location, path + ".description", "must be a string, found " + describe(description));
        }
        SamplingRule.Builder builder = SamplingRule.builder(description != null ? (String) description : "rule " + (i + 1))
            .priority(i + 1)
            .host(pattern(rule, hostKey, path, location))
            .httpMethod(pattern(rule, "http_method", path, location))
            .urlPath(pattern(rule, "url_path", path, location))
            .fixedTarget(fixedTarget(rule, path, location))
            .rate(rate(rule, path, location));
        if (rule.containsKey("sampling_rate_boost")) {
          // An extension for the local daemon, which serves these rules to SDKs with X-Ray's boost.
          String boostPath = path + ".sampling_rate_boost";
          Map<String, Object> boost = object(rule.get("sampling_rate_boost"), boostPath, location);
          checkKeys(boost, BOOST_KEYS, boostPath, location);
          Object cooldown = boost.get("cooldown_window_minutes");
          if (!(cooldown instanceof Long) || (Long) cooldown < 1 || (Long) cooldown > 1440) {
            throw error(location, boostPath + ".cooldown_window_minutes", "must be a whole number of minutes, 1 to 1440");
          }
          builder.boost(rateValue(boost.get("max_rate"), boostPath + ".max_rate", location), ((Long) cooldown).intValue());
        }
        rules.add(builder.build());
      }
    }
    return LocalSampler.of(rules, fallback, clock);
  }

  private static String read(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("sampling-rules: no file given");
    }
    if (location.startsWith(CLASSPATH_PREFIX)) {
      String resource = location.substring(CLASSPATH_PREFIX.length());
      String text = readResource(resource);
      if (text == null) {
        throw new IllegalArgumentException("sampling-rules file '" + location + "' not found on the classpath");
      }
      return text;
    }
    Path path = Paths.get(location);
    if (Files.isRegularFile(path)) {
      try {
        return Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("sampling-rules file '" + location + "' cannot be read: " + e, e);
      }
    }
    String text = readResource(location);
    if (text == null) {
      throw new IllegalArgumentException("sampling-rules file '" + location
          + "' not found (looked for a file at " + path.toAbsolutePath() + " and a classpath resource)");
    }
    return text;
  }

  private static String readResource(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LocalRulesFile.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("sampling-rules resource '" + resource + "' cannot be read: " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String path, String location) {
    if (!(value instanceof Map)) {
      throw error(location, path, "must be an object, found " + describe(value));
    }
    return (Map<String, Object>) value;
  }

  private static void checkKeys(Map<String, Object> rule, Set<String> allowed, String path, String location) {
    for (String key : rule.keySet()) {
      if (!allowed.contains(key)) {
        throw error(location, path + "." + key, "unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private static String pattern(Map<String, Object> rule, String key, String path, String location) {
    Object value = rule.get(key);
    if (!(value instanceof String)) {
      throw error(location, path + "." + key, value == null
          ? "is required (use \"*\" to match anything)"
          : "must be a string, found " + describe(value));
    }
    return (String) value;
  }

  private static int fixedTarget(Map<String, Object> rule, String path, String location) {
    Object value = rule.get("fixed_target");
    if (!(value instanceof Long) || (Long) value < 0 || (Long) value > Integer.MAX_VALUE) {
      throw error(location, path + ".fixed_target", value == null
          ? "is required (requests per second sampled before rate applies)"
          : "must be a whole number of 0 or more, found " + describe(value));
    }
    return ((Long) value).intValue();
  }

  private static double rate(Map<String, Object> rule, String path, String location) {
    return rateValue(rule.get("rate"), path + ".rate", location);
  }

  private static double rateValue(Object value, String path, String location) {
    if (!(value instanceof Number)) {
      throw error(location, path, value == null
          ? "is required (a fraction between 0 and 1)"
          : "must be a number between 0 and 1, found " + describe(value));
    }
    double rate = ((Number) value).doubleValue();
    if (!(rate >= 0 && rate <= 1)) {
      throw error(location, path, "must be between 0 and 1, found " + value);
    }
    return rate;
  }

  private static IllegalArgumentException error(String location, String path, String problem) {
    return new IllegalArgumentException("sampling-rules file '" + location + "', at " + path + ": " + problem);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "the string \"" + value + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return value.toString();
  }
}

package dev.radiograph.daemon.sampling;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.sampling.SamplingRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code SamplingRule} of {@code CreateSamplingRule} and the {@code SamplingRuleUpdate}
 * of {@code UpdateSamplingRule} into a {@link SamplingRule}, with X-Ray's limits, so that a rule
 * the daemon accepts is one AWS X-Ray would accept too. Every violation is an
 * {@link IllegalArgumentException} whose message names the member (a 400
 * {@code InvalidRequestException}).
 */
public final class RuleDocument {
  /** X-Ray's name for the rule that matches every request, which cannot be deleted or renamed. */
  public static final String DEFAULT_RULE = "Default";

  private RuleDocument() {}

  /** A new rule from {@code CreateSamplingRule}'s {@code SamplingRule}: every matcher required, as in X-Ray. */
  public static SamplingRule create(Map<String, Object> document) {
    String name = text(document, "RuleName", "RuleName", 1, 32);
    if (name == null) {
      throw new IllegalArgumentException("SamplingRule.RuleName is required");
    }
    if (DEFAULT_RULE.equals(name)) {
      throw new IllegalArgumentException("SamplingRule.RuleName " + DEFAULT_RULE + " is the default rule's name");
    }
    Object version = document.get("Version");
    if (version == null || Json.asNumber(version, "SamplingRule.Version").doubleValue() != 1) {
      throw new IllegalArgumentException("SamplingRule.Version is required and must be 1");
    }
    for (String member : List.of("ResourceARN", "Priority", "FixedRate", "ReservoirSize", "ServiceName",
        "ServiceType", "Host", "HTTPMethod", "URLPath")) {
      if (document.get(member) == null) {
        throw new IllegalArgumentException("SamplingRule." + member + " is required");
      }
    }
    return apply(SamplingRule.builder(name).priority(0), document, "SamplingRule", null);
  }

  /**
   * {@code existing} with the members {@code SamplingRuleUpdate} sets; the default rule takes only
   * {@code FixedRate} and {@code ReservoirSize}, as in X-Ray.
   */
  public static SamplingRule update(SamplingRule existing, Map<String, Object> update) {
    if (DEFAULT_RULE.equals(existing.name())) {
      for (String member : update.keySet()) {
        if (!List.of("RuleName", "RuleARN", "FixedRate", "ReservoirSize").contains(member) && update.get(member) != null) {
          throw new IllegalArgumentException("the " + DEFAULT_RULE
              + " rule takes only FixedRate and ReservoirSize; found " + member);
        }
      }
    }
    SamplingRule.Builder builder = SamplingRule.builder(existing.name())
        .priority(existing.priority())
        .fixedTarget(existing.fixedTarget())
        .rate(existing.rate())
        .serviceName(existing.serviceName())
        .serviceType(existing.serviceType())
        .host(existing.host())
        .httpMethod(existing.httpMethod())
        .urlPath(existing.urlPath())
        .resourceArn(existing.resourceArn())
        .attributes(existing.attributes());
    return apply(builder, update, "SamplingRuleUpdate", existing);
  }

  /** Sets on {@code builder} the members {@code document} has, checking each against X-Ray's limits. */
  private static SamplingRule apply(SamplingRule.Builder builder, Map<String, Object> document, String what,
      SamplingRule existing) {
    Integer priority = integer(document, what, "Priority", 1, 9999);
    if (priority != null) {
      builder.priority(priority);
    }
    Integer reservoir = integer(document, what, "ReservoirSize", 0, Integer.MAX_VALUE);
    if (reservoir != null) {
      builder.fixedTarget(reservoir);
    }
    Double rate = fraction(document, what, "FixedRate");
    if (rate != null) {
      builder.rate(rate);
    }
    String value;
    if ((value = text(document, what + ".ServiceName", "ServiceName", 0, 64)) != null) {
      builder.serviceName(value);
    }
    if ((value = text(document, what + ".ServiceType", "ServiceType", 0, 64)) != null) {
      builder.serviceType(value);
    }
    if ((value = text(document, what + ".Host", "Host", 0, 64)) != null) {
      builder.host(value);
    }
    if ((value = text(document, what + ".HTTPMethod", "HTTPMethod", 0, 10)) != null) {
      builder.httpMethod(value);
    }
    if ((value = text(document, what + ".URLPath", "URLPath", 0, 128)) != null) {
      builder.urlPath(value);
    }
    if ((value = text(document, what + ".ResourceARN", "ResourceARN", 0, 500)) != null) {
      builder.resourceArn(value);
    }
    Object attributes = document.get("Attributes");
    if (attributes != null) {
      Map<String, Object> map = Json.asObject(attributes, what + ".Attributes");
      if (map.size() > 5) {
        throw new IllegalArgumentException(what + ".Attributes takes at most 5 attributes, found " + map.size());
      }
      Map<String, String> patterns = new LinkedHashMap<>();
      map.forEach((key, pattern) -> {
        if (key.isEmpty() || key.length() > 32) {
          throw new IllegalArgumentException(what + ".Attributes keys must be 1 to 32 characters, found \"" + key + "\"");
        }
        String text = Json.asString(pattern, what + ".Attributes." + key);
        if (text.isEmpty() || text.length() > 32) {
          throw new IllegalArgumentException(what + ".Attributes." + key + " must be 1 to 32 characters");
        }
        patterns.put(key, text);
      });
      builder.attributes(patterns);
    }
    Object boost = document.get("SamplingRateBoost");
    if (boost != null) {
      Map<String, Object> map = Json.asObject(boost, what + ".SamplingRateBoost");
      Double maxRate = fraction(map, what + ".SamplingRateBoost", "MaxRate");
      Integer cooldown = integer(map, what + ".SamplingRateBoost", "CooldownWindowMinutes", 1, Integer.MAX_VALUE);
      if (maxRate == null || cooldown == null) {
        throw new IllegalArgumentException(what + ".SamplingRateBoost needs MaxRate and CooldownWindowMinutes");
      }
      builder.boost(maxRate, cooldown);
    } else if (existing != null && existing.hasBoost()) {
      builder.boost(existing.boostMaxRate(), existing.boostCooldownMinutes());
    }
    return builder.build();
  }

  /** The rule a {@code RuleName} or {@code RuleARN} member names (the ARN's last part), or null. */
  public static String ruleNamed(Map<String, Object> request, String what) {
    String name = text(request, "RuleName", "RuleName", 1, 32);
    Object arn = request.get("RuleARN");
    if (name == null && arn != null) {
      String text = Json.asString(arn, what + ".RuleARN");
      int slash = text.lastIndexOf('/');
      name = slash >= 0 ? text.substring(slash + 1) : text;
    }
    if (name == null) {
      throw new IllegalArgumentException(what + " needs RuleName or RuleARN");
    }
    return name;
  }

  /** A string member of {@code min} to {@code max} characters, or null when absent; {@code what} names it in messages. */
  private static String text(Map<String, Object> document, String what, String member, int min, int max) {
    Object value = document.get(member);
    if (value == null) {
      return null;
    }
    String text = Json.asString(value, what);
    if (text.length() < min || text.length() > max) {
      throw new IllegalArgumentException(what + " must be " + (min == 0 ? "at most " + max : min + " to " + max)
          + " characters, found " + text.length());
    }
    return text;
  }

  private static Integer integer(Map<String, Object> document, String what, String member, int min, int max) {
    Object value = document.get(member);
    if (value == null) {
      return null;
    }
    double number = Json.asNumber(value, what + "." + member).doubleValue();
    if (number != Math.rint(number) || number < min || number > max) {
      throw new IllegalArgumentException(what + "." + member + " must be a whole number from " + min
          + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", found " + value);
    }
    return (int) number;
  }

  private static Double fraction(Map<String, Object> document, String what, String member) {
    Object value = document.get(member);
    if (value == null) {
      return null;
    }
    double number = Json.asNumber(value, what + "." + member).doubleValue();
    if (!(number >= 0 && number <= 1)) {
      throw new IllegalArgumentException(what + "." + member + " must be between 0 and 1, found " + value);
    }
    return number;
  }
}

package dev.radiograph.daemon.forward;

import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.xray.model.GetSamplingRulesRequest;
import software.amazon.awssdk.services.xray.model.GetSamplingRulesResponse;
import software.amazon.awssdk.services.xray.model.GetSamplingTargetsRequest;
import software.amazon.awssdk.services.xray.model.GetSamplingTargetsResponse;
import software.amazon.awssdk.services.xray.model.SamplingBoost;
import software.amazon.awssdk.services.xray.model.SamplingBoostStatisticsDocument;
import software.amazon.awssdk.services.xray.model.SamplingRateBoost;
import software.amazon.awssdk.services.xray.model.SamplingRule;
import software.amazon.awssdk.services.xray.model.SamplingRuleRecord;
import software.amazon.awssdk.services.xray.model.SamplingStatisticsDocument;
import software.amazon.awssdk.services.xray.model.SamplingTargetDocument;
import software.amazon.awssdk.services.xray.model.UnprocessedStatistics;

/**
 * The X-Ray API's JSON for {@code GetSamplingRules} and {@code GetSamplingTargets}, to and from
 * the SDK's model: requests as the X-Ray SDKs send them to the daemon, answers as AWS writes them.
 * Member names are X-Ray's ({@code RuleName}, {@code HTTPMethod}, {@code URLPath}, ...);
 * timestamps are epoch seconds as JSON numbers (restJson's default), written exactly (no
 * exponent, no binary rounding); absent (null) members are left out, as AWS does.
 *
 * <p>Bad input is an {@link IllegalArgumentException} that says which member is wrong. Unknown
 * members are ignored, so newer SDKs' requests still pass.
 */
final class SamplingJson {
  private SamplingJson() {}

  // --- GetSamplingRules -----------------------------------------------------------------------

  /** {@code {"NextToken": "..." | null}}; an empty body is an empty request. */
  static GetSamplingRulesRequest rulesRequest(String json) {
    Map<String, Object> body = requestObject(json);
    return GetSamplingRulesRequest.builder().nextToken(string(body, "NextToken")).build();
  }

  static String rulesResponse(GetSamplingRulesResponse response) {
    JsonWriter w = new JsonWriter(1024);
    w.beginObject();
    w.name("SamplingRuleRecords").beginArray();
    for (SamplingRuleRecord record : response.samplingRuleRecords()) {
      w.beginObject();
      if (record.samplingRule() != null) {
        w.name("SamplingRule");
        rule(w, record.samplingRule());
      }
      timestamp(w, "CreatedAt", record.createdAt());
      timestamp(w, "ModifiedAt", record.modifiedAt());
      w.endObject();
    }
    w.endArray();
    string(w, "NextToken", response.nextToken());
    w.endObject();
    return text(w);
  }

  private static void rule(JsonWriter w, SamplingRule rule) {
    w.beginObject();
    string(w, "RuleName", rule.ruleName());
    string(w, "RuleARN", rule.ruleARN());
    string(w, "ResourceARN", rule.resourceARN());
    number(w, "Priority", rule.priority());
    number(w, "FixedRate", rule.fixedRate());
    number(w, "ReservoirSize", rule.reservoirSize());
    string(w, "ServiceName", rule.serviceName());
    string(w, "ServiceType", rule.serviceType());
    string(w, "Host", rule.host());
    string(w, "HTTPMethod", rule.httpMethod());
    string(w, "URLPath", rule.urlPath());
    number(w, "Version", rule.version());
    if (rule.hasAttributes()) {
      w.name("Attributes").beginObject();
      for (Map.Entry<String, String> attribute : rule.attributes().entrySet()) {
        w.name(attribute.getKey()).value(attribute.getValue());
      }
      w.endObject();
    }
    SamplingRateBoost boost = rule.samplingRateBoost();
    if (boost != null) {
      w.name("SamplingRateBoost").beginObject();
      number(w, "MaxRate", boost.maxRate());
      number(w, "CooldownWindowMinutes", boost.cooldownWindowMinutes());
      w.endObject();
    }
    w.endObject();
  }

  // --- GetSamplingTargets (POST /SamplingTargets) ---------------------------------------------

  static GetSamplingTargetsRequest targetsRequest(String json) {
    Map<String, Object> body = requestObject(json);
    GetSamplingTargetsRequest.Builder request = GetSamplingTargetsRequest.builder();
    List<Object> statistics = array(body, "SamplingStatisticsDocuments");
    if (statistics != null) {
      List<SamplingStatisticsDocument> documents = new ArrayList<>(statistics.size());
      for (int i = 0; i < statistics.size(); i++) {
        String where = "SamplingStatisticsDocuments[" + i + "]";
        Map<String, Object> d = JsonReader.asObject(statistics.get(i), where);
        documents.add(SamplingStatisticsDocument.builder()
            .ruleName(string(d, "RuleName", where))
            .clientID(string(d, "ClientID", where))
            .timestamp(timestamp(d, "Timestamp", where))
            .requestCount(integer(d, "RequestCount", where))
            .sampledCount(integer(d, "SampledCount", where))
            .borrowCount(integer(d, "BorrowCount", where))
            .build());
      }
      request.samplingStatisticsDocuments(documents);
    }
    List<Object> boostStatistics = array(body, "SamplingBoostStatisticsDocuments");
    if (boostStatistics != null) {
      List<SamplingBoostStatisticsDocument> documents = new ArrayList<>(boostStatistics.size());
      for (int i = 0; i < boostStatistics.size(); i++) {
        String where = "SamplingBoostStatisticsDocuments[" + i + "]";
        Map<String, Object> d = JsonReader.asObject(boostStatistics.get(i), where);
        documents.add(SamplingBoostStatisticsDocument.builder()
            .ruleName(string(d, "RuleName", where))
            .serviceName(string(d, "ServiceName", where))
            .timestamp(timestamp(d, "Timestamp", where))
            .anomalyCount(integer(d, "AnomalyCount", where))
            .totalCount(integer(d, "TotalCount", where))
            .sampledAnomalyCount(integer(d, "SampledAnomalyCount", where))
            .build());
      }
      request.samplingBoostStatisticsDocuments(documents);
    }
    return request.build();
  }

  static String targetsResponse(GetSamplingTargetsResponse response) {
    JsonWriter w = new JsonWriter(512);
    w.beginObject();
    w.name("SamplingTargetDocuments").beginArray();
    for (SamplingTargetDocument target : response.samplingTargetDocuments()) {
      w.beginObject();
      string(w, "RuleName", target.ruleName());
      number(w, "FixedRate", target.fixedRate());
      number(w, "ReservoirQuota", target.reservoirQuota());
      timestamp(w, "ReservoirQuotaTTL", target.reservoirQuotaTTL());
      number(w, "Interval", target.interval());
      SamplingBoost boost = target.samplingBoost();
      if (boost != null) {
        w.name("SamplingBoost").beginObject();
        number(w, "BoostRate", boost.boostRate());
        timestamp(w, "BoostRateTTL", boost.boostRateTTL());
        w.endObject();
      }
      w.endObject();
    }
    w.endArray();
    timestamp(w, "LastRuleModification", response.lastRuleModification());
    unprocessed(w, "UnprocessedStatistics", response.unprocessedStatistics());
    if (response.hasUnprocessedBoostStatistics()) {
      unprocessed(w, "UnprocessedBoostStatistics", response.unprocessedBoostStatistics());
    }
    w.endObject();
    return text(w);
  }

  private static void unprocessed(JsonWriter w, String name, List<UnprocessedStatistics> list) {
    w.name(name).beginArray();
    for (UnprocessedStatistics u : list) {
      w.beginObject();
      string(w, "RuleName", u.ruleName());
      string(w, "ErrorCode", u.errorCode());
      string(w, "Message", u.message());
      w.endObject();
    }
    w.endArray();
  }

  // --- reading --------------------------------------------------------------------------------

  private static Map<String, Object> requestObject(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    return JsonReader.asObject(JsonReader.parse(json), "the request body");
  }

  private static String string(Map<String, Object> object, String name) {
    return string(object, name, null);
  }

  private static String string(Map<String, Object> object, String name, String where) {
    Object value = object.get(name);
    return value == null ? null : JsonReader.asString(value, path(where, name));
  }

  private static List<Object> array(Map<String, Object> object, String name) {
    Object value = object.get(name);
    return value == null ? null : JsonReader.asArray(value, name);
  }

  private static Integer integer(Map<String, Object> object, String name, String where) {
    Object value = object.get(name);
    if (value == null) {
      return null;
    }
    Number n = JsonReader.asNumber(value, path(where, name));
    double d = n.doubleValue(); // exact for every int, so the range check below is exact too
    if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path(where, name) + " must be a 32-bit integer, found " + n);
    }
    return n.intValue();
  }

  /** Epoch seconds as a number (restJson), or an ISO-8601 string or numeric string, leniently. */
  private static Instant timestamp(Map<String, Object> object, String name, String where) {
    Object value = object.get(name);
    if (value == null) {
      return null;
    }
    String what = path(where, name);
    BigDecimal seconds;
    try {
      if (value instanceof Long) {
        return Instant.ofEpochSecond((Long) value);
      } else if (value instanceof Double) {
        double d = (Double) value;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new IllegalArgumentException(what + " must be epoch seconds, found " + d);
        }
        seconds = BigDecimal.valueOf(d);
      } else if (value instanceof String) {
        String s = ((String) value).trim();
        try {
          seconds = new BigDecimal(s);
        } catch (NumberFormatException notANumber) {
          return Instant.parse(s);
        }
      } else {
        throw new IllegalArgumentException(what + " must be epoch seconds, found " + JsonReader.typeName(value));
      }
      BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
      long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
      return Instant.ofEpochSecond(whole.longValueExact(), nanos); // nanos may be 1e9: normalized
    } catch (ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException(what + " is not a valid timestamp: " + value, e);
    }
  }

  private static String path(String where, String name) {
    return where == null ? name : where + "." + name;
  }

  // --- writing --------------------------------------------------------------------------------

  private static void string(JsonWriter w, String name, String value) {
    if (value != null) {
      w.name(name).value(value);
    }
  }

  private static void number(JsonWriter w, String name, Integer value) {
    if (value != null) {
      w.name(name).value((long) value);
    }
  }

  private static void number(JsonWriter w, String name, Double value) {
    if (value != null) {
      w.name(name).value((double) value);
    }
  }

  /** Epoch seconds, exactly: {@code 1530000000} or {@code 1530000000.123}. */
  private static void timestamp(JsonWriter w, String name, Instant value) {
    if (value == null) {
      return;
    }
    w.name(name);
    if (value.getNano() == 0) {
      w.value(value.getEpochSecond());
    } else {
      String decimal = BigDecimal.valueOf(value.getEpochSecond())
          .add(BigDecimal.valueOf(value.getNano(), 9))
          .stripTrailingZeros()
          .toPlainString();
      w.rawValue(decimal.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static String text(JsonWriter w) {
    return new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8);
  }
}

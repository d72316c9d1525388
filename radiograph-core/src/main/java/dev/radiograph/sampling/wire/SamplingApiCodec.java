package dev.radiograph.sampling.wire;

import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingRulesRequest;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingRulesResponse;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingTargetsRequest;
import dev.radiograph.sampling.wire.SamplingApi.GetSamplingTargetsResponse;
import dev.radiograph.sampling.wire.SamplingApi.SamplingBoost;
import dev.radiograph.sampling.wire.SamplingApi.SamplingBoostStatisticsDocument;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRateBoost;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRule;
import dev.radiograph.sampling.wire.SamplingApi.SamplingRuleRecord;
import dev.radiograph.sampling.wire.SamplingApi.SamplingStatisticsDocument;
import dev.radiograph.sampling.wire.SamplingApi.SamplingTargetDocument;
import dev.radiograph.sampling.wire.SamplingApi.UnprocessedStatistics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON of X-Ray's sampling API, the one place it is read and written: the SDK's centralized
 * sampler writes requests and reads answers; the daemon reads requests and writes answers, its
 * own or AWS's.
 *
 * <p>Member names are X-Ray's ({@code RuleName}, {@code HTTPMethod}, {@code URLPath}, ...).
 * Timestamps are epoch seconds as JSON numbers (restJson's default), written exactly: {@code
 * 1530000000} or {@code 1530000000.123}, no exponent, no binary rounding; read from a number, or
 * leniently from a numeric or ISO-8601 string. Absent ({@code null}) members are left out, with
 * one exception: {@code NextToken} is written as {@code null} on the first request and the last
 * page, as X-Ray's own examples show it (every SDK reads both).
 *
 * <p>Reading: unknown members are ignored, so newer SDKs' documents still pass; a member that is
 * {@code null} is absent; a member of the wrong type is an {@link IllegalArgumentException} that
 * names it by its path ({@code SamplingStatisticsDocuments[2].RequestCount must be a 32-bit
 * integer, found 1.5}); malformed JSON is a {@link dev.radiograph.internal.JsonParseException}
 * (an {@code IllegalArgumentException} too). Whether a present member makes sense (a rate within
 * 0-1, a rule that exists) is the reader's caller's business.
 *
 * <p>Internal: not part of Radiograph's API.
 */
public final class SamplingApiCodec {
  private SamplingApiCodec() {}

  // --- GetSamplingRules -----------------------------------------------------------------------

  /** {@code {"NextToken":null}} or {@code {"NextToken":"..."}}. */
  public static byte[] write(GetSamplingRulesRequest request) {
    Objects.requireNonNull(request, "request");
    JsonWriter w = new JsonWriter(64).beginObject();
    w.name("NextToken").value(request.nextToken());
    return w.endObject().toByteArray();
  }

  /** Reads a {@code GetSamplingRules} request; an empty body is an empty request. */
  public static GetSamplingRulesRequest readGetSamplingRulesRequest(byte[] json) {
    return new GetSamplingRulesRequest(Members.request(json).string("NextToken"));
  }

  public static byte[] write(GetSamplingRulesResponse response) {
    Objects.requireNonNull(response, "response");
    JsonWriter w = new JsonWriter(2048).beginObject();
    w.name("SamplingRuleRecords").beginArray();
    for (SamplingRuleRecord record : response.samplingRuleRecords()) {
      w.beginObject();
      if (record.samplingRule() != null) {
        w.name("SamplingRule");
        writeRule(w, record.samplingRule());
      }
      timestamp(w, "CreatedAt", record.createdAt());
      timestamp(w, "ModifiedAt", record.modifiedAt());
      w.endObject();
    }
    w.endArray();
    w.name("NextToken").value(response.nextToken());
    return w.endObject().toByteArray();
  }

  /** Reads the answer to {@code GetSamplingRules}; a missing {@code SamplingRuleRecords} is none. */
  public static GetSamplingRulesResponse readGetSamplingRulesResponse(byte[] json) {
    Members body = Members.response(json);
    List<SamplingRuleRecord> records = new ArrayList<>();
    for (Members record : body.objects("SamplingRuleRecords", true)) {
      Members rule = record.object("SamplingRule");
      records.add(new SamplingRuleRecord(rule == null ? null : readRule(rule),
          record.timestamp("CreatedAt"), record.timestamp("ModifiedAt")));
    }
    return new GetSamplingRulesResponse(records, body.string("NextToken"));
  }

  private static void writeRule(JsonWriter w, SamplingRule rule) {
    w.beginObject();
    string(w, "RuleName", rule.ruleName());
    string(w, "RuleARN", rule.ruleArn());
    string(w, "ResourceARN", rule.resourceArn());
    number(w, "Priority", rule.priority());
    number(w, "FixedRate", rule.fixedRate());
    number(w, "ReservoirSize", rule.reservoirSize());
    string(w, "ServiceName", rule.serviceName());
    string(w, "ServiceType", rule.serviceType());
    string(w, "Host", rule.host());
    string(w, "HTTPMethod", rule.httpMethod());
    string(w, "URLPath", rule.urlPath());
    number(w, "Version", rule.version());
    if (rule.attributes() != null) {
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

  private static SamplingRule readRule(Members r) {
    Members boost = r.object("SamplingRateBoost");
    return SamplingRule.builder()
        .ruleName(r.string("RuleName"))
        .ruleArn(r.string("RuleARN"))
        .resourceArn(r.string("ResourceARN"))
        .priority(r.integer("Priority"))
        .fixedRate(r.decimal("FixedRate"))
        .reservoirSize(r.integer("ReservoirSize"))
        .serviceName(r.string("ServiceName"))
        .serviceType(r.string("ServiceType"))
        .host(r.string("Host"))
        .httpMethod(r.string("HTTPMethod"))
        .urlPath(r.string("URLPath"))
        .version(r.integer("Version"))
        .attributes(r.strings("Attributes"))
        .samplingRateBoost(boost == null ? null
            : new SamplingRateBoost(boost.decimal("MaxRate"), boost.integer("CooldownWindowMinutes")))
        .build();
  }

  // --- GetSamplingTargets (POST /SamplingTargets) ---------------------------------------------

  public static byte[] write(GetSamplingTargetsRequest request) {
    Objects.requireNonNull(request, "request");
    JsonWriter w = new JsonWriter(1024).beginObject();
    if (request.samplingStatisticsDocuments() != null) {
      w.name("SamplingStatisticsDocuments").beginArray();
      for (SamplingStatisticsDocument d : request.samplingStatisticsDocuments()) {
        w.beginObject();
        string(w, "RuleName", d.ruleName());
        string(w, "ClientID", d.clientId());
        timestamp(w, "Timestamp", d.timestamp());
        number(w, "RequestCount", d.requestCount());
        number(w, "SampledCount", d.sampledCount());
        number(w, "BorrowCount", d.borrowCount());
        w.endObject();
      }
      w.endArray();
    }
    if (request.samplingBoostStatisticsDocuments() != null) {
      w.name("SamplingBoostStatisticsDocuments").beginArray();
      for (SamplingBoostStatisticsDocument d : request.samplingBoostStatisticsDocuments()) {
        w.beginObject();
        string(w, "RuleName", d.ruleName());
        string(w, "ServiceName", d.serviceName());
        timestamp(w, "Timestamp", d.timestamp());
        number(w, "AnomalyCount", d.anomalyCount());
        number(w, "TotalCount", d.totalCount());
        number(w, "SampledAnomalyCount", d.sampledAnomalyCount());
        w.endObject();
      }
      w.endArray();
    }
    return w.endObject().toByteArray();
  }

  /** Reads a {@code SamplingTargets} request; an empty body is an empty request. */
  public static GetSamplingTargetsRequest readGetSamplingTargetsRequest(byte[] json) {
    Members body = Members.request(json);
    List<SamplingStatisticsDocument> statistics = null;
    List<Members> documents = body.objects("SamplingStatisticsDocuments", false);
    if (documents != null) {
      statistics = new ArrayList<>(documents.size());
      for (Members d : documents) {
        statistics.add(new SamplingStatisticsDocument(d.string("RuleName"), d.string("ClientID"),
            d.timestamp("Timestamp"), d.integer("RequestCount"), d.integer("SampledCount"), d.integer("BorrowCount")));
      }
    }
    List<SamplingBoostStatisticsDocument> boostStatistics = null;
    documents = body.objects("SamplingBoostStatisticsDocuments", false);
    if (documents != null) {
      boostStatistics = new ArrayList<>(documents.size());
      for (Members d : documents) {
        boostStatistics.add(new SamplingBoostStatisticsDocument(d.string("RuleName"), d.string("ServiceName"),
            d.timestamp("Timestamp"), d.integer("AnomalyCount"), d.integer("TotalCount"),
            d.integer("SampledAnomalyCount")));
      }
    }
    return new GetSamplingTargetsRequest(statistics, boostStatistics);
  }

  public static byte[] write(GetSamplingTargetsResponse response) {
    Objects.requireNonNull(response, "response");
    JsonWriter w = new JsonWriter(1024).beginObject();
    w.name("SamplingTargetDocuments").beginArray();
    for (SamplingTargetDocument target : response.samplingTargetDocuments()) {
      w.beginObject();
      string(w, "RuleName", target.ruleName());
      number(w, "FixedRate", target.fixedRate());
      number(w, "ReservoirQuota", target.reservoirQuota());
      timestamp(w, "ReservoirQuotaTTL", target.reservoirQuotaTtl());
      number(w, "Interval", target.interval());
      SamplingBoost boost = target.samplingBoost();
      if (boost != null) {
        w.name("SamplingBoost").beginObject();
        number(w, "BoostRate", boost.boostRate());
        timestamp(w, "BoostRateTTL", boost.boostRateTtl());
        w.endObject();
      }
      w.endObject();
    }
    w.endArray();
    timestamp(w, "LastRuleModification", response.lastRuleModification());
    writeUnprocessed(w, "UnprocessedStatistics", response.unprocessedStatistics());
    if (response.unprocessedBoostStatistics() != null) {
      writeUnprocessed(w, "UnprocessedBoostStatistics", response.unprocessedBoostStatistics());
    }
    return w.endObject().toByteArray();
  }

  /** Reads the answer to {@code SamplingTargets}; missing lists of targets and unprocessed statistics are empty. */
  public static GetSamplingTargetsResponse readGetSamplingTargetsResponse(byte[] json) {
    Members body = Members.response(json);
    List<SamplingTargetDocument> targets = new ArrayList<>();
    for (Members t : body.objects("SamplingTargetDocuments", true)) {
      Members boost = t.object("SamplingBoost");
      targets.add(new SamplingTargetDocument(t.string("RuleName"), t.decimal("FixedRate"),
          t.integer("ReservoirQuota"), t.timestamp("ReservoirQuotaTTL"), t.integer("Interval"),
          boost == null ? null : new SamplingBoost(boost.decimal("BoostRate"), boost.timestamp("BoostRateTTL"))));
    }
    return new GetSamplingTargetsResponse(targets, body.timestamp("LastRuleModification"),
        readUnprocessed(body.objects("UnprocessedStatistics", true)),
        readUnprocessed(body.objects("UnprocessedBoostStatistics", false)));
  }

  private static void writeUnprocessed(JsonWriter w, String name, List<UnprocessedStatistics> list) {
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

  private static List<UnprocessedStatistics> readUnprocessed(List<Members> list) {
    if (list == null) {
      return null;
    }
    List<UnprocessedStatistics> result = new ArrayList<>(list.size());
    for (Members u : list) {
      result.add(new UnprocessedStatistics(u.string("RuleName"), u.string("ErrorCode"), u.string("Message")));
    }
    return result;
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

  // --- reading --------------------------------------------------------------------------------

  /** The members of one JSON object, read with the object's path for the error messages. */
  private static final class Members {
    private final Map<String, Object> object;
    private final String where; // null at the top level

    private Members(Map<String, Object> object, String where) {
      this.object = object;
      this.where = where;
    }

    /** A request body: an object, or nothing at all (an empty request, as restJson allows). */
    static Members request(byte[] json) {
      if (json == null || isBlank(json)) {
        return new Members(Map.of(), null);
      }
      return new Members(JsonReader.asObject(JsonReader.parse(json), "the request body"), null);
    }

    /** A response body: always an object. */
    static Members response(byte[] json) {
      Objects.requireNonNull(json, "json");
      return new Members(JsonReader.asObject(JsonReader.parse(json), "the response body"), null);
    }

    private String path(String name) {
      return where == null ? name : where + "." + name;
    }

    String string(String name) {
      Object value = object.get(name);
      return value == null ? null : JsonReader.asString(value, path(name));
    }

    Integer integer(String name) {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      Number n = JsonReader.asNumber(value, path(name));
      double d = n.doubleValue(); // exact for every int, so the range check below is exact too
      if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(path(name) + " must be a 32-bit integer, found " + n);
      }
      return n.intValue();
    }

    Double decimal(String name) {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      double d = JsonReader.asNumber(value, path(name)).doubleValue();
      if (Double.isInfinite(d)) { // 1e999: JSON cannot write it back
        throw new IllegalArgumentException(path(name) + " must be a finite number, found " + value);
      }
      return d;
    }

    /** Epoch seconds as a number (restJson), or an ISO-8601 string or numeric string, leniently. */
    Instant timestamp(String name) {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      String what = path(name);
      try {
        BigDecimal seconds;
        if (value instanceof Long) {
          return Instant.ofEpochSecond((Long) value);
        } else if (value instanceof Double) {
          double d = (Double) value;
          if (Double.isInfinite(d)) {
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
      } catch (ArithmeticException | DateTimeException e) { // out of Instant's range, or not ISO-8601
        throw new IllegalArgumentException(what + " is not a valid timestamp: " + value, e);
      }
    }

    /** A nested object, or null when absent. */
    Members object(String name) {
      Object value = object.get(name);
      return value == null ? null : new Members(JsonReader.asObject(value, path(name)), path(name));
    }

    /** An array of objects: empty ({@code emptyWhenAbsent}) or null when absent. */
    List<Members> objects(String name, boolean emptyWhenAbsent) {
      Object value = object.get(name);
      if (value == null) {
        return emptyWhenAbsent ? List.of() : null;
      }
      List<Object> items = JsonReader.asArray(value, path(name));
      List<Members> result = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        String at = path(name) + "[" + i + "]";
        result.add(new Members(JsonReader.asObject(items.get(i), at), at));
      }
      return result;
    }

    /** An object of strings ({@code Attributes}), in document order, or null when absent. */
    Map<String, String> strings(String name) {
      Members members = object(name);
      if (members == null) {
        return null;
      }
      Map<String, String> result = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : members.object.entrySet()) {
        result.put(e.getKey(), JsonReader.asString(e.getValue(), members.path(e.getKey())));
      }
      return result;
    }

    private static boolean isBlank(byte[] json) {
      for (byte b : json) {
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
          return false;
        }
      }
      return true;
    }
  }
}

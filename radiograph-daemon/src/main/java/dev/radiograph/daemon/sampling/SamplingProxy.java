package dev.radiograph.daemon.sampling;

import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.SamplingRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The X-Ray sampling API the SDKs poll ({@code POST /GetSamplingRules},
 * {@code POST /SamplingTargets}), served from a local rules file with the accounting X-Ray does:
 * each rule's reservoir (requests per second) is shared between the clients that reported for it
 * recently, each client getting its share as {@code ReservoirQuota} with a TTL; statistics are
 * added up per rule; and a rule with a {@code SamplingRateBoost} is boosted to its
 * {@code MaxRate} for its cooldown window when clients report anomalies.
 */
public final class SamplingProxy {
  private static final long CLIENT_ACTIVE_MILLIS = 60_000;
  private static final long QUOTA_TTL_MILLIS = 15_000;
  private static final int INTERVAL_SECONDS = 10;

  private final List<SamplingRule> rules;
  private final Map<String, RuleState> states = new HashMap<>();
  private final LongSupplier clock;
  private final double loadedAt;

  /** Serves {@code rules} (the default rule last). */
  public SamplingProxy(List<SamplingRule> rules, LongSupplier clock) {
    this.rules = List.copyOf(rules);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loadedAt = clock.getAsLong() / 1000.0;
    for (SamplingRule rule : this.rules) {
      states.put(rule.name(), new RuleState());
    }
  }

  /** Serves the rules of a local rules file, or X-Ray's default rule when {@code file} is null. */
  public static SamplingProxy fromFile(String file) {
    LocalSampler local = file == null ? LocalSampler.defaultRules() : LocalSampler.fromFile(file);
    return new SamplingProxy(local.rules(), System::currentTimeMillis);
  }

  /** Answers {@code GetSamplingRules}: every rule, in one page. */
  public byte[] getSamplingRules(byte[] requestBody) {
    JsonWriter w = new JsonWriter(2048).beginObject().name("SamplingRuleRecords").beginArray();
    for (SamplingRule rule : rules) {
      w.beginObject().name("SamplingRule").beginObject()
          .name("RuleName").value(rule.name())
          .name("RuleARN").value("arn:aws:xray:local:000000000000:sampling-rule/" + rule.name())
          .name("ResourceARN").value(rule.resourceArn())
          .name("Priority").value(rule.priority())
          .name("FixedRate").value(rule.rate())
          .name("ReservoirSize").value(rule.fixedTarget())
          .name("ServiceName").value(rule.serviceName())
          .name("ServiceType").value(rule.serviceType())
          .name("Host").value(rule.host())
          .name("HTTPMethod").value(rule.httpMethod())
          .name("URLPath").value(rule.urlPath())
          .name("Version").value(1)
          .name("Attributes").beginObject();
      for (Map.Entry<String, String> a : rule.attributes().entrySet()) {
        w.name(a.getKey()).value(a.getValue());
      }
      w.endObject();
      if (rule.hasBoost()) {
        w.name("SamplingRateBoost").beginObject()
            .name("MaxRate").value(rule.boostMaxRate())
            .name("CooldownWindowMinutes").value(rule.boostCooldownMinutes())
            .endObject();
      }
      w.endObject().name("CreatedAt").value(loadedAt).name("ModifiedAt").value(loadedAt).endObject();
    }
    return w.endArray().name("NextToken").nullValue().endObject().toByteArray();
  }

  /**
   * Answers {@code SamplingTargets}: takes each client's statistics and gives it its targets.
   *
   * @throws IllegalArgumentException when the body is not a valid request
   */
  public synchronized byte[] samplingTargets(byte[] requestBody) {
    Map<String, Object> request = JsonReader.asObject(JsonReader.parse(requestBody), "the request");
    long now = clock.getAsLong();
    List<Map<String, Object>> unprocessed = new ArrayList<>();
    List<String> targeted = new ArrayList<>();
    Map<String, String> clientOf = new HashMap<>();
    Object statistics = request.get("SamplingStatisticsDocuments");
    if (statistics != null) {
      List<Object> docs = JsonReader.asArray(statistics, "SamplingStatisticsDocuments");
      if (docs.size() > 25) {
        throw new IllegalArgumentException("SamplingStatisticsDocuments takes at most 25 documents");
      }
      for (Object item : docs) {
        Map<String, Object> doc = JsonReader.asObject(item, "a SamplingStatisticsDocument");
        String ruleName = JsonReader.asString(doc.get("RuleName"), "RuleName");
        String clientId = JsonReader.asString(doc.get("ClientID"), "ClientID");
        RuleState state = states.get(ruleName);
        if (state == null) {
          unprocessed.add(Map.of("RuleName", ruleName, "ErrorCode", "400", "Message", "unknown rule"));
          continue;
        }
        state.clients.put(clientId, now);
        state.requests += count(doc.get("RequestCount"));
        state.sampled += count(doc.get("SampledCount"));
        state.borrowed += count(doc.get("BorrowCount"));
        targeted.add(ruleName);
        clientOf.put(ruleName, clientId);
      }
    }
    List<Map<String, Object>> unprocessedBoost = new ArrayList<>();
    Object boostStatistics = request.get("SamplingBoostStatisticsDocuments");
    if (boostStatistics != null) {
      for (Object item : JsonReader.asArray(boostStatistics, "SamplingBoostStatisticsDocuments")) {
        Map<String, Object> doc = JsonReader.asObject(item, "a SamplingBoostStatisticsDocument");
        String ruleName = JsonReader.asString(doc.get("RuleName"), "RuleName");
        RuleState state = states.get(ruleName);
        SamplingRule rule = ruleNamed(ruleName);
        if (state == null || rule == null) {
          unprocessedBoost.add(Map.of("RuleName", ruleName, "ErrorCode", "400", "Message", "unknown rule"));
          continue;
        }
        long anomalies = count(doc.get("AnomalyCount"));
        state.anomalies += anomalies;
        state.total += count(doc.get("TotalCount"));
        if (anomalies > 0 && rule.hasBoost() && now >= state.boostUntil) {
          state.boostUntil = now + rule.boostCooldownMinutes() * 60_000L;
        }
      }
    }

    JsonWriter w = new JsonWriter(1024).beginObject().name("SamplingTargetDocuments").beginArray();
    for (String ruleName : targeted) {
      SamplingRule rule = ruleNamed(ruleName);
      RuleState state = states.get(ruleName);
      int quota = state.quotaFor(clientOf.get(ruleName), rule.fixedTarget(), now);
      w.beginObject()
          .name("RuleName").value(ruleName)
          .name("FixedRate").value(rule.rate())
          .name("ReservoirQuota").value(quota)
          .name("ReservoirQuotaTTL").value((now + QUOTA_TTL_MILLIS) / 1000.0)
          .name("Interval").value(INTERVAL_SECONDS);
      if (rule.hasBoost() && now < state.boostUntil) {
        w.name("SamplingBoost").beginObject()
            .name("BoostRate").value(rule.boostMaxRate())
            .name("BoostRateTTL").value(state.boostUntil / 1000.0)
            .endObject();
      }
      w.endObject();
    }
    w.endArray().name("LastRuleModification").value(loadedAt);
    writeUnprocessed(w, "UnprocessedStatistics", unprocessed);
    writeUnprocessed(w, "UnprocessedBoostStatistics", unprocessedBoost);
    return w.endObject().toByteArray();
  }

  private static void writeUnprocessed(JsonWriter w, String name, List<Map<String, Object>> items) {
    w.name(name).beginArray();
    for (Map<String, Object> item : items) {
      w.beginObject();
      for (String key : List.of("RuleName", "ErrorCode", "Message")) {
        w.name(key).value((String) item.get(key));
      }
      w.endObject();
    }
    w.endArray();
  }

  private SamplingRule ruleNamed(String name) {
    for (SamplingRule rule : rules) {
      if (rule.name().equals(name)) {
        return rule;
      }
    }
    return null;
  }

  private static long count(Object value) {
    return value instanceof Number ? Math.max(0, ((Number) value).longValue()) : 0;
  }

  /** Totals per rule since the daemon started: {requests, sampled, borrowed, anomalies, boosted}. */
  public synchronized Map<String, long[]> totals() {
    Map<String, long[]> totals = new HashMap<>();
    long now = clock.getAsLong();
    states.forEach((name, s) -> totals.put(name,
        new long[] {s.requests, s.sampled, s.borrowed, s.anomalies, now < s.boostUntil ? 1 : 0}));
    return totals;
  }

  /** The rules served, in priority order. */
  public List<SamplingRule> rules() {
    return rules;
  }

  private static final class RuleState {
    final Map<String, Long> clients = new HashMap<>();
    long requests;
    long sampled;
    long borrowed;
    long anomalies;
    long total;
    long boostUntil;

    /**
     * This client's share of the reservoir: the reservoir divided between the clients active in
     * the last minute, the remainder going to the first clients in a stable order.
     */
    int quotaFor(String clientId, int reservoir, long now) {
      clients.values().removeIf(seen -> now - seen > CLIENT_ACTIVE_MILLIS);
      List<String> active = new ArrayList<>(clients.keySet());
      active.sort(null);
      int n = Math.max(1, active.size());
      int index = Math.max(0, active.indexOf(clientId));
      return reservoir / n + (index < reservoir % n ? 1 : 0);
    }
  }
}

package dev.radiograph.daemon.sampling;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.SamplingRule;
import dev.radiograph.sampling.wire.SamplingApi;
import dev.radiograph.sampling.wire.SamplingApiCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

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

  /** X-Ray's quota of sampling rules per account and region, the default rule included. */
  public static final int MAX_RULES = 25;
  private static final String ARN_PREFIX = "arn:aws:xray:local:000000000000:sampling-rule/";

  // Replaced as a whole when a rule is created, updated or deleted (under this object's lock), so
  // that GetSamplingRules, which the SDKs poll, reads one consistent list without locking.
  private volatile List<SamplingRule> rules;
  private final Map<String, RuleState> states = new HashMap<>();
  private final LongSupplier clock;
  private final Instant loadedAt;

  /** Serves {@code rules} (the default rule last). */
  public SamplingProxy(List<SamplingRule> rules, LongSupplier clock) {
    this.rules = List.copyOf(rules);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loadedAt = Instant.ofEpochMilli(clock.getAsLong());
    for (SamplingRule rule : this.rules) {
      states.put(rule.name(), new RuleState(loadedAt));
    }
  }

  /** Serves the rules of a local rules file, or X-Ray's default rule when {@code file} is null. */
  public static SamplingProxy fromFile(String file) {
    LocalSampler local = file == null ? LocalSampler.defaultRules() : LocalSampler.fromFile(file);
    return new SamplingProxy(local.rules(), System::currentTimeMillis);
  }

  /** Answers {@code GetSamplingRules}: every rule, in one page (so the request's NextToken is moot). */
  public byte[] getSamplingRules(byte[] requestBody) {
    List<SamplingRule> served = rules;
    List<SamplingApi.SamplingRuleRecord> records = new ArrayList<>(served.size());
    for (SamplingRule rule : served) {
      records.add(record(rule));
    }
    return SamplingApiCodec.write(new SamplingApi.GetSamplingRulesResponse(records, null));
  }

  /** A rule as X-Ray's {@code SamplingRuleRecord}: the rule with its ARN, when it was created and last changed. */
  private SamplingApi.SamplingRuleRecord record(SamplingRule rule) {
    RuleState state;
    synchronized (this) {
      state = states.get(rule.name());
    }
    Instant created = state != null ? state.createdAt : loadedAt;
    Instant modified = state != null ? state.modifiedAt : loadedAt;
    SamplingApi.SamplingRule document = SamplingApi.SamplingRule.builder()
        .ruleName(rule.name())
        .ruleArn(ARN_PREFIX + rule.name())
        .resourceArn(rule.resourceArn())
        .priority(rule.priority())
        .fixedRate(rule.rate())
        .reservoirSize(rule.fixedTarget())
        .serviceName(rule.serviceName())
        .serviceType(rule.serviceType())
        .host(rule.host())
        .httpMethod(rule.httpMethod())
        .urlPath(rule.urlPath())
        .version(1)
        .attributes(rule.attributes())
        .samplingRateBoost(rule.hasBoost()
            ? new SamplingApi.SamplingRateBoost(rule.boostMaxRate(), rule.boostCooldownMinutes())
            : null)
        .build();
    return new SamplingApi.SamplingRuleRecord(document, created, modified);
  }

  /**
   * {@code CreateSamplingRule}: adds {@code rule}, which the SDKs get at their next
   * {@code GetSamplingRules} poll.
   *
   * @return the rule's {@code SamplingRuleRecord}, as JSON
   * @throws IllegalArgumentException when a rule of that name exists
   * @throws RuleLimitException when {@value #MAX_RULES} rules exist
   */
  public synchronized byte[] createRule(SamplingRule rule) {
    if (ruleNamed(rule.name()) != null) {
      throw new IllegalArgumentException("a sampling rule named " + rule.name() + " exists");
    }
    if (rules.size() >= MAX_RULES) {
      throw new RuleLimitException("at most " + MAX_RULES + " sampling rules, the " + RuleDocument.DEFAULT_RULE
          + " rule included; delete one first");
    }
    List<SamplingRule> next = new ArrayList<>(rules);
    next.add(rule);
    states.put(rule.name(), new RuleState(Instant.ofEpochMilli(clock.getAsLong())));
    return replace(next, rule);
  }

  /**
   * {@code UpdateSamplingRule}: the named rule changed by {@code change}.
   *
   * @return the changed rule's {@code SamplingRuleRecord}, as JSON
   * @throws IllegalArgumentException when no rule has that name, or the change is not valid
   */
  public synchronized byte[] updateRule(String name, UnaryOperator<SamplingRule> change) {
    SamplingRule existing = existing(name);
    SamplingRule changed = change.apply(existing);
    List<SamplingRule> next = new ArrayList<>(rules);
    next.set(next.indexOf(existing), changed);
    states.get(name).modifiedAt = Instant.ofEpochMilli(clock.getAsLong());
    return replace(next, changed);
  }

  /**
   * {@code DeleteSamplingRule}: removes the named rule; its statistics go with it.
   *
   * @return the deleted rule's {@code SamplingRuleRecord}, as JSON
   * @throws IllegalArgumentException for the default rule, or when no rule has that name
   */
  public synchronized byte[] deleteRule(String name) {
    if (RuleDocument.DEFAULT_RULE.equals(name)) {
      throw new IllegalArgumentException("the " + RuleDocument.DEFAULT_RULE + " rule cannot be deleted");
    }
    SamplingRule existing = existing(name);
    byte[] record = recordJson(record(existing));
    List<SamplingRule> next = new ArrayList<>(rules);
    next.remove(existing);
    rules = List.copyOf(next);
    states.remove(name);
    return record;
  }

  /**
   * {@code GetSamplingStatisticSummaries}: per rule, the requests, sampled and borrowed counts the
   * SDKs reported since the rule was loaded or created, stamped with when they were last reported.
   */
  public synchronized byte[] statisticSummaries() {
    JsonOutput out = new JsonOutput().beginObject()
        .name("SamplingStatisticSummaries").beginArray();
    for (SamplingRule rule : rules) {
      RuleState state = states.get(rule.name());
      out.beginObject()
          .name("RuleName").value(rule.name())
          .name("Timestamp").value(state.reportedAt / 1000.0)
          .name("RequestCount").value(state.requests)
          .name("BorrowCount").value(state.borrowed)
          .name("SampledCount").value(state.sampled)
          .endObject();
    }
    return out.endArray().endObject().toByteArray();
  }

  private SamplingRule existing(String name) {
    SamplingRule existing = ruleNamed(name);
    if (existing == null) {
      throw new IllegalArgumentException("no sampling rule named " + name);
    }
    return existing;
  }

  /** Serves {@code next} in X-Ray's order and answers with {@code rule}'s record. */
  private byte[] replace(List<SamplingRule> next, SamplingRule rule) {
    next.sort(SamplingRule.ORDER);
    rules = List.copyOf(next);
    return recordJson(record(rule));
  }

  /**
   * {@code {"SamplingRuleRecord": ...}}, written by core's codec (the one that writes
   * {@code GetSamplingRules}), so that a rule reads the same in every answer.
   */
  private static byte[] recordJson(SamplingApi.SamplingRuleRecord record) {
    byte[] page = SamplingApiCodec.write(new SamplingApi.GetSamplingRulesResponse(List.of(record), null));
    Object written = Json.asArray(
        Json.asObject(Json.parse(page), "rules")
            .get("SamplingRuleRecords"), "records").get(0);
    return new JsonOutput().beginObject().name("SamplingRuleRecord").tree(written)
        .endObject().toByteArray();
  }

  /**
   * Answers {@code SamplingTargets}: takes each client's statistics and gives it its targets.
   *
   * @throws IllegalArgumentException when the body is not a valid request
   */
  public synchronized byte[] samplingTargets(byte[] requestBody) {
    SamplingApi.GetSamplingTargetsRequest request = SamplingApiCodec.readGetSamplingTargetsRequest(requestBody);
    long now = clock.getAsLong();
    List<SamplingApi.UnprocessedStatistics> unprocessed = new ArrayList<>();
    List<String> targeted = new ArrayList<>();
    Map<String, String> clientOf = new HashMap<>();
    List<SamplingApi.SamplingStatisticsDocument> statistics = request.samplingStatisticsDocuments();
    if (statistics != null) {
      if (statistics.size() > 25) {
        throw new IllegalArgumentException("SamplingStatisticsDocuments takes at most 25 documents");
      }
      for (int i = 0; i < statistics.size(); i++) {
        SamplingApi.SamplingStatisticsDocument doc = statistics.get(i);
        String ruleName = required(doc.ruleName(), "SamplingStatisticsDocuments", i, "RuleName");
        String clientId = required(doc.clientId(), "SamplingStatisticsDocuments", i, "ClientID");
        RuleState state = states.get(ruleName);
        if (state == null) {
          unprocessed.add(unknownRule(ruleName));
          continue;
        }
        state.clients.put(clientId, now);
        state.reportedAt = now;
        state.requests += count(doc.requestCount());
        state.sampled += count(doc.sampledCount());
        state.borrowed += count(doc.borrowCount());
        targeted.add(ruleName);
        clientOf.put(ruleName, clientId);
      }
    }
    List<SamplingApi.UnprocessedStatistics> unprocessedBoost = new ArrayList<>();
    List<SamplingApi.SamplingBoostStatisticsDocument> boostStatistics = request.samplingBoostStatisticsDocuments();
    if (boostStatistics != null) {
      for (int i = 0; i < boostStatistics.size(); i++) {
        SamplingApi.SamplingBoostStatisticsDocument doc = boostStatistics.get(i);
        String ruleName = required(doc.ruleName(), "SamplingBoostStatisticsDocuments", i, "RuleName");
        RuleState state = states.get(ruleName);
        SamplingRule rule = ruleNamed(ruleName);
        if (state == null || rule == null) {
          unprocessedBoost.add(unknownRule(ruleName));
          continue;
        }
        long anomalies = count(doc.anomalyCount());
        state.anomalies += anomalies;
        state.total += count(doc.totalCount());
        if (anomalies > 0 && rule.hasBoost() && now >= state.boostUntil) {
          state.boostUntil = now + rule.boostCooldownMinutes() * 60_000L;
        }
      }
    }

    List<SamplingApi.SamplingTargetDocument> targets = new ArrayList<>(targeted.size());
    for (String ruleName : targeted) {
      SamplingRule rule = ruleNamed(ruleName);
      RuleState state = states.get(ruleName);
      int quota = state.quotaFor(clientOf.get(ruleName), rule.fixedTarget(), now);
      SamplingApi.SamplingBoost boost = rule.hasBoost() && now < state.boostUntil
          ? new SamplingApi.SamplingBoost(rule.boostMaxRate(), Instant.ofEpochMilli(state.boostUntil))
          : null;
      targets.add(new SamplingApi.SamplingTargetDocument(ruleName, rule.rate(), quota,
          Instant.ofEpochMilli(now + QUOTA_TTL_MILLIS), INTERVAL_SECONDS, boost));
    }
    return SamplingApiCodec.write(
        new SamplingApi.GetSamplingTargetsResponse(targets, loadedAt, unprocessed, unprocessedBoost));
  }

  private static String required(String value, String list, int index, String member) {
    if (value == null) {
      throw new IllegalArgumentException(list + "[" + index + "]." + member + " is required");
    }
    return value;
  }

  private static SamplingApi.UnprocessedStatistics unknownRule(String ruleName) {
    return new SamplingApi.UnprocessedStatistics(ruleName, "400", "unknown rule");
  }

  private SamplingRule ruleNamed(String name) {
    for (SamplingRule rule : rules) {
      if (rule.name().equals(name)) {
        return rule;
      }
    }
    return null;
  }

  private static long count(Integer value) {
    return value == null ? 0 : Math.max(0, value);
  }

  /** Totals per rule since the daemon started: {requests, sampled, borrowed, anomalies, boosted}. */
  public synchronized Map<String, long[]> totals() {
    Map<String, long[]> totals = new HashMap<>();
    long now = clock.getAsLong();
    states.forEach((name, s) -> totals.put(name,
        new long[] {s.requests, s.sampled, s.borrowed, s.anomalies, now < s.boostUntil ? 1 : 0}));
    return totals;
  }

  /** The rules served now, in priority order. */
  public List<SamplingRule> rules() {
    return rules;
  }

  private static final class RuleState {
    final Map<String, Long> clients = new HashMap<>();
    final Instant createdAt;
    volatile Instant modifiedAt;
    long reportedAt;
    long requests;
    long sampled;
    long borrowed;
    long anomalies;
    long total;
    long boostUntil;

    RuleState(Instant createdAt) {
      this.createdAt = createdAt;
      this.modifiedAt = createdAt;
      this.reportedAt = createdAt.toEpochMilli();
    }

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

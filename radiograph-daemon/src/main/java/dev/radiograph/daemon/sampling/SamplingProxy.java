package dev.radiograph.daemon.sampling;

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
  private final Instant loadedAt;

  /** Serves {@code rules} (the default rule last). */
  public SamplingProxy(List<SamplingRule> rules, LongSupplier clock) {
    this.rules = List.copyOf(rules);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loadedAt = Instant.ofEpochMilli(clock.getAsLong());
    for (SamplingRule rule : this.rules) {
      states.put(rule.name(), new RuleState());
    }
  }

  /** Serves the rules of a local rules file, or X-Ray's default rule when {@code file} is null. */
  public static SamplingProxy fromFile(String file) {
    LocalSampler local = file == null ? LocalSampler.defaultRules() : LocalSampler.fromFile(file);
    return new SamplingProxy(local.rules(), System::currentTimeMillis);
  }

  /** Answers {@code GetSamplingRules}: every rule, in one page (so the request's NextToken is moot). */
  public byte[] getSamplingRules(byte[] requestBody) {
    List<SamplingApi.SamplingRuleRecord> records = new ArrayList<>(rules.size());
    for (SamplingRule rule : rules) {
      SamplingApi.SamplingRule document = SamplingApi.SamplingRule.builder()
          .ruleName(rule.name())
          .ruleArn("arn:aws:xray:local:000000000000:sampling-rule/" + rule.name())
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
      records.add(new SamplingApi.SamplingRuleRecord(document, loadedAt, loadedAt));
    }
    return SamplingApiCodec.write(new SamplingApi.GetSamplingRulesResponse(records, null));
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

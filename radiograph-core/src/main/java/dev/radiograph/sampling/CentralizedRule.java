package dev.radiograph.sampling;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule from the daemon's sampling proxy with its live state: the reservoir quota and rate from
 * the latest target, the boost, and the statistics reported at the next target poll.
 */
final class CentralizedRule {
  private final SamplingRule rule;
  private final SamplingDecision sampledDecision;
  private final SamplingDecision notSampledDecision;
  private final Reservoir reservoir = new Reservoir();

  private volatile double fixedRate;
  private volatile int quota = -1; // -1: no target yet, borrow one request a second
  private volatile long quotaExpiresAtMillis;
  private volatile double boostRate;
  private volatile long boostExpiresAtMillis;

  private volatile String serviceName; // the service deciding with this rule, for boost statistics
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong sampled = new AtomicLong();
  private final AtomicLong borrowed = new AtomicLong();
  private final AtomicLong endedTotal = new AtomicLong();
  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong sampledAnomalies = new AtomicLong();

  CentralizedRule(SamplingRule rule) {
    this.rule = rule;
    this.fixedRate = rule.rate();
    this.sampledDecision = SamplingDecision.of(true, this);
    this.notSampledDecision = SamplingDecision.of(false, this);
  }

  SamplingRule rule() {
    return rule;
  }

  /** Decides for one request: the reservoir first, then the (boosted) rate. */
  SamplingDecision sample(long nowMillis, String requestServiceName) {
    if (requestServiceName != null && !requestServiceName.equals(serviceName)) {
      serviceName = requestServiceName; // written only when it changes: no shared write per request
    }
    requests.incrementAndGet();
    int currentQuota = quota;
    if (currentQuota >= 0 && nowMillis < quotaExpiresAtMillis) {
      if (reservoir.take(nowMillis, currentQuota)) {
        sampled.incrementAndGet();
        return sampledDecision;
      }
    } else if (rule.fixedTarget() > 0 && reservoir.take(nowMillis, 1)) {
      // No valid target yet: borrow one request a second, as every X-Ray SDK does.
      borrowed.incrementAndGet(); // counted as borrowed, not sampled, as the X-Ray SDKs do
      return sampledDecision;
    }
    double rate = fixedRate;
    if (nowMillis < boostExpiresAtMillis) {
      rate = Math.max(rate, boostRate);
    }
    if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
      sampled.incrementAndGet();
      return sampledDecision;
    }
    return notSampledDecision;
  }

  /**
   * The service name for boost statistics: the name of the service that used the rule (X-Ray
   * wants the name the service identifies itself with, at most 64 characters), or the rule's.
   */
  String reportedServiceName() {
    String name = serviceName != null ? serviceName : rule.serviceName();
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  /** Counts a finished request for the boost statistics. */
  void requestEnded(boolean wasSampled, boolean anomaly) {
    endedTotal.incrementAndGet();
    if (anomaly) {
      anomalies.incrementAndGet();
      if (wasSampled) {
        sampledAnomalies.incrementAndGet();
      }
    }
  }

  /** Takes the statistics since the last report: {request, sampled, borrowed}. */
  long[] takeStatistics() {
    return new long[] {requests.getAndSet(0), sampled.getAndSet(0), borrowed.getAndSet(0)};
  }

  /** Takes the boost statistics since the last report: {total, anomalies, sampled anomalies}. */
  long[] takeBoostStatistics() {
    return new long[] {endedTotal.getAndSet(0), anomalies.getAndSet(0), sampledAnomalies.getAndSet(0)};
  }

  /** Gives back statistics that could not be reported, so that none are lost. */
  void restoreStatistics(long[] statistics, long[] boost) {
    if (statistics != null) {
      requests.addAndGet(statistics[0]);
      sampled.addAndGet(statistics[1]);
      borrowed.addAndGet(statistics[2]);
    }
    if (boost != null) {
      endedTotal.addAndGet(boost[0]);
      anomalies.addAndGet(boost[1]);
      sampledAnomalies.addAndGet(boost[2]);
    }
  }

  /** Applies a target from {@code SamplingTargets}; absent parts are {@code null}. */
  void applyTarget(Double newFixedRate, Long newQuota, Long quotaTtlEpochSeconds, Double newBoostRate,
      Long boostTtlEpochSeconds) {
    if (newFixedRate != null && newFixedRate >= 0 && newFixedRate <= 1) {
      fixedRate = newFixedRate;
    }
    if (newQuota != null && newQuota >= 0) {
      quotaExpiresAtMillis = quotaTtlEpochSeconds != null ? quotaTtlEpochSeconds * 1000 : Long.MAX_VALUE;
      quota = (int) Math.min(newQuota, Integer.MAX_VALUE);
    }
    if (newBoostRate != null && newBoostRate >= 0 && newBoostRate <= 1) {
      boostExpiresAtMillis = boostTtlEpochSeconds != null ? boostTtlEpochSeconds * 1000 : 0;
      boostRate = newBoostRate;
    }
  }

  /** Copies target state from the rule this one replaces (same name, refreshed definition). */
  void inheritTarget(CentralizedRule previous) {
    quotaExpiresAtMillis = previous.quotaExpiresAtMillis;
    quota = previous.quota;
    boostRate = previous.boostRate;
    boostExpiresAtMillis = previous.boostExpiresAtMillis;
    restoreStatistics(previous.takeStatistics(), previous.takeBoostStatistics());
  }
}

package dev.radiograph.sampling.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of X-Ray's sampling API ({@code GetSamplingRules}, {@code GetSamplingTargets}),
 * as plain values with X-Ray's names, read and written by {@link SamplingApiCodec}.
 *
 * <p>A {@code null} component is a member that is absent from the document: X-Ray marks almost
 * every member optional, and a proxy must pass on what it was given, no more. The exceptions,
 * lists that every writer of this API sends even when empty, are never null (absent reads as
 * empty); each says so.
 *
 * <p>Internal: not part of Radiograph's API (the SDK's sampler and the daemon share it).
 */
public final class SamplingApi {
  private SamplingApi() {}

  /** {@code POST /GetSamplingRules}: {@code {"NextToken": ...}}; {@code nextToken} null for the first page. */
  public record GetSamplingRulesRequest(String nextToken) {}

  /**
   * The answer to {@code GetSamplingRules}: one page of rules, and the token of the next page (null
   * on the last).
   *
   * @param samplingRuleRecords never null
   */
  public record GetSamplingRulesResponse(List<SamplingRuleRecord> samplingRuleRecords, String nextToken) {
    public GetSamplingRulesResponse {
      samplingRuleRecords = listOrEmpty(samplingRuleRecords);
    }
  }

  /** A rule with the times it was created and last changed. */
  public record SamplingRuleRecord(SamplingRule samplingRule, Instant createdAt, Instant modifiedAt) {}

  /**
   * A centralized sampling rule as X-Ray holds it. Members the caller does not set are absent;
   * {@code attributes} empty and absent are different documents ({@code {}} or no member).
   */
  public record SamplingRule(
      String ruleName,
      String ruleArn,
      String resourceArn,
      Integer priority,
      Double fixedRate,
      Integer reservoirSize,
      String serviceName,
      String serviceType,
      String host,
      String httpMethod,
      String urlPath,
      Integer version,
      Map<String, String> attributes,
      SamplingRateBoost samplingRateBoost) {

    public SamplingRule {
      // A copy that keeps the document's order, so that a rule is written back as it was read.
      attributes = attributes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A rule with every member absent; set the ones the document has. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link SamplingRule}; every setter takes null for "absent". */
    public static final class Builder {
      private String ruleName;
      private String ruleArn;
      private String resourceArn;
      private Integer priority;
      private Double fixedRate;
      private Integer reservoirSize;
      private String serviceName;
      private String serviceType;
      private String host;
      private String httpMethod;
      private String urlPath;
      private Integer version;
      private Map<String, String> attributes;
      private SamplingRateBoost samplingRateBoost;

      private Builder() {}

      public Builder ruleName(String ruleName) {
        this.ruleName = ruleName;
        return this;
      }

      public Builder ruleArn(String ruleArn) {
        this.ruleArn = ruleArn;
        return this;
      }

      public Builder resourceArn(String resourceArn) {
        this.resourceArn = resourceArn;
        return this;
      }

      public Builder priority(Integer priority) {
        this.priority = priority;
        return this;
      }

      public Builder fixedRate(Double fixedRate) {
        this.fixedRate = fixedRate;
        return this;
      }

      public Builder reservoirSize(Integer reservoirSize) {
        this.reservoirSize = reservoirSize;
        return this;
      }

      public Builder serviceName(String serviceName) {
        this.serviceName = serviceName;
        return this;
      }

      public Builder serviceType(String serviceType) {
        this.serviceType = serviceType;
        return this;
      }

      public Builder host(String host) {
        this.host = host;
        return this;
      }

      public Builder httpMethod(String httpMethod) {
        this.httpMethod = httpMethod;
        return this;
      }

      public Builder urlPath(String urlPath) {
        this.urlPath = urlPath;
        return this;
      }

      public Builder version(Integer version) {
        this.version = version;
        return this;
      }

      public Builder attributes(Map<String, String> attributes) {
        this.attributes = attributes;
        return this;
      }

      public Builder samplingRateBoost(SamplingRateBoost samplingRateBoost) {
        this.samplingRateBoost = samplingRateBoost;
        return this;
      }

      public SamplingRule build() {
        return new SamplingRule(ruleName, ruleArn, resourceArn, priority, fixedRate, reservoirSize, serviceName,
            serviceType, host, httpMethod, urlPath, version, attributes, samplingRateBoost);
      }
    }
  }

  /** A rule's boost: up to {@code maxRate} for {@code cooldownWindowMinutes} after anomalies. */
  public record SamplingRateBoost(Double maxRate, Integer cooldownWindowMinutes) {}

  /**
   * {@code POST /SamplingTargets}: a client's statistics since its last report.
   *
   * @param samplingStatisticsDocuments null when absent
   * @param samplingBoostStatisticsDocuments null when absent
   */
  public record GetSamplingTargetsRequest(
      List<SamplingStatisticsDocument> samplingStatisticsDocuments,
      List<SamplingBoostStatisticsDocument> samplingBoostStatisticsDocuments) {
    public GetSamplingTargetsRequest {
      samplingStatisticsDocuments = listOrNull(samplingStatisticsDocuments);
      samplingBoostStatisticsDocuments = listOrNull(samplingBoostStatisticsDocuments);
    }
  }

  /** How often one client used a rule, and how often it sampled and borrowed with it. */
  public record SamplingStatisticsDocument(
      String ruleName,
      String clientId,
      Instant timestamp,
      Integer requestCount,
      Integer sampledCount,
      Integer borrowCount) {}

  /** How many of a rule's requests ended in an anomaly, for the rule's boost. */
  public record SamplingBoostStatisticsDocument(
      String ruleName,
      String serviceName,
      Instant timestamp,
      Integer anomalyCount,
      Integer totalCount,
      Integer sampledAnomalyCount) {}

  /**
   * The answer to {@code SamplingTargets}.
   *
   * @param samplingTargetDocuments never null
   * @param unprocessedStatistics never null
   * @param unprocessedBoostStatistics null when absent
   */
  public record GetSamplingTargetsResponse(
      List<SamplingTargetDocument> samplingTargetDocuments,
      Instant lastRuleModification,
      List<UnprocessedStatistics> unprocessedStatistics,
      List<UnprocessedStatistics> unprocessedBoostStatistics) {
    public GetSamplingTargetsResponse {
      samplingTargetDocuments = listOrEmpty(samplingTargetDocuments);
      unprocessedStatistics = listOrEmpty(unprocessedStatistics);
      unprocessedBoostStatistics = listOrNull(unprocessedBoostStatistics);
    }
  }

  /** A client's target for one rule: its reservoir quota until a time, the rate, the boost. */
  public record SamplingTargetDocument(
      String ruleName,
      Double fixedRate,
      Integer reservoirQuota,
      Instant reservoirQuotaTtl,
      Integer interval,
      SamplingBoost samplingBoost) {}

  /** A boosted rate until {@code boostRateTtl}. */
  public record SamplingBoost(Double boostRate, Instant boostRateTtl) {}

  /** Statistics X-Ray did not take, and why. */
  public record UnprocessedStatistics(String ruleName, String errorCode, String message) {}

  private static <T> List<T> listOrEmpty(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  private static <T> List<T> listOrNull(List<T> list) {
    return list == null ? null : List.copyOf(list);
  }
}

package dev.radiograph.daemon.forward;

import dev.radiograph.sampling.wire.SamplingApi;
import java.util.ArrayList;
import java.util.List;
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
 * The sampling API's documents ({@link SamplingApi}, read and written by core's codec) as the AWS
 * SDK's model types, member for member: requests from the SDKs go to AWS as they came, AWS's
 * answers go back as AWS gave them. An absent member stays absent both ways; so does an absent
 * list (the SDK's "auto-construct" lists are how it says absent).
 */
final class AwsSamplingModel {
  private AwsSamplingModel() {}

  static GetSamplingRulesRequest toAws(SamplingApi.GetSamplingRulesRequest request) {
    return GetSamplingRulesRequest.builder().nextToken(request.nextToken()).build();
  }

  static SamplingApi.GetSamplingRulesResponse fromAws(GetSamplingRulesResponse response) {
    List<SamplingApi.SamplingRuleRecord> records = new ArrayList<>(response.samplingRuleRecords().size());
    for (SamplingRuleRecord record : response.samplingRuleRecords()) {
      SamplingRule rule = record.samplingRule();
      records.add(new SamplingApi.SamplingRuleRecord(rule == null ? null : fromAws(rule),
          record.createdAt(), record.modifiedAt()));
    }
    return new SamplingApi.GetSamplingRulesResponse(records, response.nextToken());
  }

  private static SamplingApi.SamplingRule fromAws(SamplingRule rule) {
    SamplingRateBoost boost = rule.samplingRateBoost();
    return SamplingApi.SamplingRule.builder()
        .ruleName(rule.ruleName())
        .ruleArn(rule.ruleARN())
        .resourceArn(rule.resourceARN())
        .priority(rule.priority())
        .fixedRate(rule.fixedRate())
        .reservoirSize(rule.reservoirSize())
        .serviceName(rule.serviceName())
        .serviceType(rule.serviceType())
        .host(rule.host())
        .httpMethod(rule.httpMethod())
        .urlPath(rule.urlPath())
        .version(rule.version())
        .attributes(rule.hasAttributes() ? rule.attributes() : null)
        .samplingRateBoost(boost == null ? null
            : new SamplingApi.SamplingRateBoost(boost.maxRate(), boost.cooldownWindowMinutes()))
        .build();
  }

  static GetSamplingTargetsRequest toAws(SamplingApi.GetSamplingTargetsRequest request) {
    GetSamplingTargetsRequest.Builder aws = GetSamplingTargetsRequest.builder();
    if (request.samplingStatisticsDocuments() != null) {
      List<SamplingStatisticsDocument> documents = new ArrayList<>();
      for (SamplingApi.SamplingStatisticsDocument d : request.samplingStatisticsDocuments()) {
        documents.add(SamplingStatisticsDocument.builder()
            .ruleName(d.ruleName())
            .clientID(d.clientId())
            .timestamp(d.timestamp())
            .requestCount(d.requestCount())
            .sampledCount(d.sampledCount())
            .borrowCount(d.borrowCount())
            .build());
      }
      aws.samplingStatisticsDocuments(documents);
    }
    if (request.samplingBoostStatisticsDocuments() != null) {
      List<SamplingBoostStatisticsDocument> documents = new ArrayList<>();
      for (SamplingApi.SamplingBoostStatisticsDocument d : request.samplingBoostStatisticsDocuments()) {
        documents.add(SamplingBoostStatisticsDocument.builder()
            .ruleName(d.ruleName())
            .serviceName(d.serviceName())
            .timestamp(d.timestamp())
            .anomalyCount(d.anomalyCount())
            .totalCount(d.totalCount())
            .sampledAnomalyCount(d.sampledAnomalyCount())
            .build());
      }
      aws.samplingBoostStatisticsDocuments(documents);
    }
    return aws.build();
  }

  static SamplingApi.GetSamplingTargetsResponse fromAws(GetSamplingTargetsResponse response) {
    List<SamplingApi.SamplingTargetDocument> targets = new ArrayList<>();
    for (SamplingTargetDocument t : response.samplingTargetDocuments()) {
      SamplingBoost boost = t.samplingBoost();
      targets.add(new SamplingApi.SamplingTargetDocument(t.ruleName(), t.fixedRate(), t.reservoirQuota(),
          t.reservoirQuotaTTL(), t.interval(),
          boost == null ? null : new SamplingApi.SamplingBoost(boost.boostRate(), boost.boostRateTTL())));
    }
    return new SamplingApi.GetSamplingTargetsResponse(targets, response.lastRuleModification(),
        fromAws(response.unprocessedStatistics()),
        response.hasUnprocessedBoostStatistics() ? fromAws(response.unprocessedBoostStatistics()) : null);
  }

  private static List<SamplingApi.UnprocessedStatistics> fromAws(List<UnprocessedStatistics> list) {
    List<SamplingApi.UnprocessedStatistics> result = new ArrayList<>(list.size());
    for (UnprocessedStatistics u : list) {
      result.add(new SamplingApi.UnprocessedStatistics(u.ruleName(), u.errorCode(), u.message()));
    }
    return result;
  }
}

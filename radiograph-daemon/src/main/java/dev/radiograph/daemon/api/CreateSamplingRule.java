package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.sampling.RuleDocument;
import java.util.Map;

/**
 * {@code CreateSamplingRule} ({@code POST /CreateSamplingRule}): {@code {"SamplingRule": {...}}}
 * in, {@code {"SamplingRuleRecord": {...}}} out; the SDKs get the rule at their next poll.
 */
final class CreateSamplingRule implements Operation {
  private final LocalSamplingRules sampling;

  CreateSamplingRule(LocalSamplingRules sampling) {
    this.sampling = sampling;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    Object rule = request.get("SamplingRule");
    if (rule == null) {
      throw new IllegalArgumentException("SamplingRule is required");
    }
    return sampling.rules("CreateSamplingRule").createRule(RuleDocument.create(Json.asObject(rule, "SamplingRule")));
  }
}

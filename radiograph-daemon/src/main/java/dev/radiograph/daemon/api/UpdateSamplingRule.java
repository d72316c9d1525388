package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.sampling.RuleDocument;
import java.util.Map;

/**
 * {@code UpdateSamplingRule} ({@code POST /UpdateSamplingRule}): {@code {"SamplingRuleUpdate":
 * {...}}} naming the rule by {@code RuleName} or {@code RuleARN} and carrying only the members to
 * change; {@code {"SamplingRuleRecord": {...}}} out.
 */
final class UpdateSamplingRule implements Operation {
  private final LocalSamplingRules sampling;

  UpdateSamplingRule(LocalSamplingRules sampling) {
    this.sampling = sampling;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    Object update = request.get("SamplingRuleUpdate");
    if (update == null) {
      throw new IllegalArgumentException("SamplingRuleUpdate is required");
    }
    Map<String, Object> change = Json.asObject(update, "SamplingRuleUpdate");
    String name = RuleDocument.ruleNamed(change, "SamplingRuleUpdate");
    return sampling.rules("UpdateSamplingRule").updateRule(name, existing -> RuleDocument.update(existing, change));
  }
}

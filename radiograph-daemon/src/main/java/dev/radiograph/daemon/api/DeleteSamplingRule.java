package dev.radiograph.daemon.api;

import dev.radiograph.daemon.sampling.RuleDocument;

/**
 * {@code DeleteSamplingRule} ({@code POST /DeleteSamplingRule}): {@code RuleName} or
 * {@code RuleARN} in, the deleted {@code {"SamplingRuleRecord": {...}}} out. The default rule stays.
 */
final class DeleteSamplingRule implements Operation {
  private final LocalSamplingRules sampling;

  DeleteSamplingRule(LocalSamplingRules sampling) {
    this.sampling = sampling;
  }

  @Override
  public byte[] answer(byte[] body) {
    String name = RuleDocument.ruleNamed(RequestBody.object(body), "DeleteSamplingRule");
    return sampling.rules("DeleteSamplingRule").deleteRule(name);
  }
}

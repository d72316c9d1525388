package dev.radiograph.sampling;

import java.util.Objects;

/**
 * A sampler's answer: whether to record, and which rule decided (for statistics). Decisions
 * are shared constants, two per rule, so that deciding allocates nothing.
 */
public final class SamplingDecision {
  /** Sampled, with no rule named. */
  public static final SamplingDecision SAMPLED = new SamplingDecision(true, null, null);
  /** Not sampled, with no rule named. */
  public static final SamplingDecision NOT_SAMPLED = new SamplingDecision(false, null, null);

  private final boolean sampled;
  private final String ruleName;
  // The rule's live state, so that the request's outcome (for boost statistics) is counted
  // without a lookup by name.
  final CentralizedRule owner;

  private SamplingDecision(boolean sampled, String ruleName, CentralizedRule owner) {
    this.sampled = sampled;
    this.ruleName = ruleName;
    this.owner = owner;
  }

  /** A decision made by the rule named {@code ruleName}. */
  public static SamplingDecision of(boolean sampled, String ruleName) {
    return new SamplingDecision(sampled, Objects.requireNonNull(ruleName, "ruleName"), null);
  }

  static SamplingDecision of(boolean sampled, CentralizedRule owner) {
    return new SamplingDecision(sampled, owner.rule().name(), owner);
  }

  public boolean isSampled() {
    return sampled;
  }

  /** The deciding rule, or {@code null}. */
  public String ruleName() {
    return ruleName;
  }

  @Override
  public String toString() {
    return (sampled ? "sampled" : "not sampled") + (ruleName == null ? "" : " by rule " + ruleName);
  }
}

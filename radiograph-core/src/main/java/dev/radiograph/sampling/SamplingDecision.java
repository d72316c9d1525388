package dev.radiograph.sampling;

import java.util.Objects;

/**
 * A sampler's answer: whether to record, and which rule decided (for statistics). Decisions
 * are meant to be shared constants, one or two per rule, so that deciding allocates nothing.
 */
public final class SamplingDecision {
  /** Sampled, with no rule named. */
  public static final SamplingDecision SAMPLED = new SamplingDecision(true, null);
  /** Not sampled, with no rule named. */
  public static final SamplingDecision NOT_SAMPLED = new SamplingDecision(false, null);

  private final boolean sampled;
  private final String ruleName;

  private SamplingDecision(boolean sampled, String ruleName) {
    this.sampled = sampled;
    this.ruleName = ruleName;
  }

  /** A decision made by the rule named {@code ruleName}. */
  public static SamplingDecision of(boolean sampled, String ruleName) {
    return new SamplingDecision(sampled, Objects.requireNonNull(ruleName, "ruleName"));
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

package dev.radiograph.daemon.api;

import dev.radiograph.daemon.sampling.SamplingProxy;

/**
 * The daemon's own sampling rules, which the rule operations change and count; none when the
 * daemon forwards to AWS, whose rules the SDKs then get: changing them is for AWS X-Ray itself
 * (the console, or the CLI without the daemon's endpoint), so that the daemon never holds a
 * second, diverging copy of an account's rules.
 */
final class LocalSamplingRules {
  private final SamplingProxy sampling;
  private final boolean forwarding;

  /** @param forwarding whether {@code GetSamplingRules} is answered by AWS X-Ray */
  LocalSamplingRules(SamplingProxy sampling, boolean forwarding) {
    this.sampling = sampling;
    this.forwarding = forwarding;
  }

  /** The local rules, or a 400 when AWS X-Ray manages them. */
  SamplingProxy rules(String operation) {
    if (forwarding) {
      throw new IllegalArgumentException(operation + ": the daemon forwards to AWS (--forward aws), where the "
          + "sampling rules are managed; call AWS X-Ray for " + operation);
    }
    return sampling;
  }
}

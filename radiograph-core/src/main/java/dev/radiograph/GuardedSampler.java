package dev.radiograph;

import dev.radiograph.internal.RateLimitedLogger;
import dev.radiograph.sampling.Sampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import java.lang.System.Logger.Level;

/**
 * The recorder's calls into its sampler, which may be the user's code: a failure is logged
 * (rate-limited) and the request goes on unsampled, never failed.
 */
final class GuardedSampler {
  private final Sampler sampler;
  private final RateLimitedLogger log = new RateLimitedLogger(System.getLogger("dev.radiograph"), 60_000);

  GuardedSampler(Sampler sampler) {
    this.sampler = sampler;
  }

  Sampler sampler() {
    return sampler;
  }

  SamplingDecision decide(String name, SamplingRequest request) {
    try {
      SamplingDecision decision = sampler.sample(request != null ? request : SamplingRequest.forService(name));
      return decision != null ? decision : SamplingDecision.NOT_SAMPLED;
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Radiograph: the sampler failed; the request is not sampled", e);
      return SamplingDecision.NOT_SAMPLED;
    }
  }

  void requestEnded(SamplingDecision decision, boolean anomaly) {
    try {
      sampler.requestEnded(decision, anomaly);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Radiograph: the sampler failed to count a request", e);
    }
  }
}

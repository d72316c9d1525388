package dev.radiograph.sampling;

/**
 * Decides whether a new trace is recorded. Called once per segment that does not carry an
 * upstream decision, on the request path: implementations must not block, and should not
 * allocate.
 */
@FunctionalInterface
public interface Sampler {
  /** Decides for one request. Never throws; a failing sampler is treated as "not sampled". */
  SamplingDecision sample(SamplingRequest request);

  /** Records every request (the {@code sampling=false} setting). */
  static Sampler alwaysSample() {
    return request -> SamplingDecision.SAMPLED;
  }

  /** Records nothing; headers still propagate. */
  static Sampler neverSample() {
    return request -> SamplingDecision.NOT_SAMPLED;
  }
}

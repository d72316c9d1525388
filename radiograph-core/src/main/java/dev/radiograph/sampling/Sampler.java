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

  /**
   * Told when a request this sampler decided has ended, and whether it was an anomaly (error,
   * fault, throttle, or declared by the application); adaptive samplers count these to ask for
   * a boost. Must not block.
   */
  default void requestEnded(SamplingDecision decision, boolean anomaly) {}

  /** Stops background work (pollers). */
  default void close() {}

  /**
   * The sampler the settings ask for: with {@code sampling=false}, every request; otherwise the
   * daemon's centralized rules, falling back to {@code local} (the {@code sampling-rules} file or
   * X-Ray's default rule, see {@link LocalSampler#fromConfig}) while the daemon has given none, as
   * the other X-Ray SDKs do; with the SDK disabled, {@code local} alone (no poller).
   */
  static Sampler fromConfig(dev.radiograph.config.RadiographConfig config, LocalSampler local) {
    if (!config.sampling()) {
      return alwaysSample();
    }
    return config.enabled() ? new CentralizedSampler(config.daemonAddress().toString(), local) : local;
  }

  /** Records every request (the {@code sampling=false} setting). */
  static Sampler alwaysSample() {
    return request -> SamplingDecision.SAMPLED;
  }

  /** Records nothing; headers still propagate. */
  static Sampler neverSample() {
    return request -> SamplingDecision.NOT_SAMPLED;
  }
}

package dev.radiograph.sampling;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * X-Ray's built-in default rule: the first {@code fixedTarget} requests of each second are
 * sampled, then {@code rate} of the rest. Lock-free: one compare-and-set on a packed
 * (second, count) word decides the reservoir.
 */
public final class ReservoirSampler implements Sampler {
  private static final SamplingDecision SAMPLED = SamplingDecision.of(true, "Default");
  private static final SamplingDecision NOT_SAMPLED = SamplingDecision.of(false, "Default");

  private final int fixedTarget;
  private final double rate;
  // High 40 bits: the epoch second; low 24 bits: requests taken from the reservoir in it.
  private final AtomicLong secondAndCount = new AtomicLong();

  /**
   * @param fixedTarget requests per second sampled before {@code rate} applies (0 to 16,000,000)
   * @param rate fraction of the other requests sampled, 0 to 1
   */
  public ReservoirSampler(int fixedTarget, double rate) {
    if (fixedTarget < 0 || fixedTarget > 0xFF_FFFF) {
      throw new IllegalArgumentException("fixedTarget must be 0 to 16777215: " + fixedTarget);
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be between 0 and 1: " + rate);
    }
    this.fixedTarget = fixedTarget;
    this.rate = rate;
  }

  /** X-Ray's default rule: 1 request per second, then 5%. */
  public static ReservoirSampler defaultRule() {
    return new ReservoirSampler(1, 0.05);
  }

  @Override
  public SamplingDecision sample(SamplingRequest request) {
    if (takeFromReservoir(System.currentTimeMillis() / 1000)) {
      return SAMPLED;
    }
    return ThreadLocalRandom.current().nextDouble() < rate ? SAMPLED : NOT_SAMPLED;
  }

  private boolean takeFromReservoir(long second) {
    if (fixedTarget == 0) {
      return false;
    }
    while (true) {
      long current = secondAndCount.get();
      long currentSecond = current >>> 24;
      long count = current & 0xFF_FFFF;
      long next;
      if (currentSecond != second) {
        next = (second << 24) | 1;
      } else if (count < fixedTarget) {
        next = current + 1;
      } else {
        return false;
      }
      if (secondAndCount.compareAndSet(current, next)) {
        return true;
      }
    }
  }
}

package dev.radiograph.daemon.api;

import dev.radiograph.daemon.sampling.SamplingProxy;
import java.util.function.UnaryOperator;

/**
 * {@code GetSamplingTargets} ({@code POST /SamplingTargets}): each rule's reservoir quota and rate
 * for the SDK that reports its counts, from the local rules or, when forwarding, from AWS X-Ray.
 */
final class GetSamplingTargets implements Operation {
  private final SamplingProxy sampling;
  private final UnaryOperator<byte[]> remote;

  /** @param remote answers from AWS X-Ray when forwarding; null to answer from {@code sampling} */
  GetSamplingTargets(SamplingProxy sampling, UnaryOperator<byte[]> remote) {
    this.sampling = sampling;
    this.remote = remote;
  }

  @Override
  public byte[] answer(byte[] body) {
    return remote != null ? remote.apply(body) : sampling.samplingTargets(body);
  }
}

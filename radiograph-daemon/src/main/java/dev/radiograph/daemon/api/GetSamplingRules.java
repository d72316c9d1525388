package dev.radiograph.daemon.api;

import dev.radiograph.daemon.sampling.SamplingProxy;
import java.util.function.UnaryOperator;

/**
 * {@code GetSamplingRules} ({@code POST /GetSamplingRules}), which the SDKs poll: the local rules,
 * or, when forwarding, AWS X-Ray's answer.
 */
final class GetSamplingRules implements Operation {
  private final SamplingProxy sampling;
  private final UnaryOperator<byte[]> remote;

  /** @param remote answers from AWS X-Ray when forwarding; null to answer from {@code sampling} */
  GetSamplingRules(SamplingProxy sampling, UnaryOperator<byte[]> remote) {
    this.sampling = sampling;
    this.remote = remote;
  }

  @Override
  public byte[] answer(byte[] body) {
    return remote != null ? remote.apply(body) : sampling.getSamplingRules(body);
  }
}

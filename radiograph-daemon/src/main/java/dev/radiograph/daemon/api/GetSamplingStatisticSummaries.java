package dev.radiograph.daemon.api;

/**
 * {@code GetSamplingStatisticSummaries} ({@code POST /SamplingStatisticSummaries}):
 * {@code {"SamplingStatisticSummaries": [{RuleName, Timestamp, RequestCount, BorrowCount,
 * SampledCount}]}}, one page with every rule (the request's {@code NextToken} is moot).
 */
final class GetSamplingStatisticSummaries implements Operation {
  private final LocalSamplingRules sampling;

  GetSamplingStatisticSummaries(LocalSamplingRules sampling) {
    this.sampling = sampling;
  }

  @Override
  public byte[] answer(byte[] body) {
    RequestBody.object(body); // a body that is not a JSON object is a 400 here too
    return sampling.rules("GetSamplingStatisticSummaries").statisticSummaries();
  }
}

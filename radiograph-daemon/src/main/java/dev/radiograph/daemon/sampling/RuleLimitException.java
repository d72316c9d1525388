package dev.radiograph.daemon.sampling;

/** X-Ray's {@code RuleLimitExceededException}: creating a rule beyond {@link SamplingProxy#MAX_RULES}. */
public final class RuleLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RuleLimitException(String message) {
    super(message);
  }
}

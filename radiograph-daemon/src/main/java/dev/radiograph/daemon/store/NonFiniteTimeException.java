package dev.radiograph.daemon.store;

/**
 * A document whose {@code start_time} or {@code end_time} is not a finite number (JSON allows
 * {@code 1e999}, which reads as infinity): rejected and counted apart from malformed JSON, as
 * {@code rejectedNonFinite}.
 */
public final class NonFiniteTimeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  NonFiniteTimeException(String message) {
    super(message);
  }
}

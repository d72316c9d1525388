package dev.radiograph;

/**
 * Thrown, only under {@link ContextMissingStrategy#RUNTIME_ERROR}, when there is no current
 * segment or subsegment where one is needed.
 */
public final class SegmentNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SegmentNotFoundException(String message) {
    super(message);
  }
}

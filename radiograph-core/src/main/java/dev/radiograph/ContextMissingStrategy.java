package dev.radiograph;

/**
 * What the recorder does when code asks for the current segment or subsegment and there is none
 * (an untraced thread, or context that was not carried across threads). Set with
 * {@code AWS_XRAY_CONTEXT_MISSING}, {@code -Dradiograph.context-missing} or
 * {@link RecorderBuilder#contextMissing}.
 */
public enum ContextMissingStrategy {
  /** Log one line per calling class (not per call), and go on untraced. The default. */
  LOG_ERROR,
  /** Throw {@link SegmentNotFoundException}, for tests and for teams that want to fail fast. */
  RUNTIME_ERROR,
  /** Go on untraced, silently. */
  IGNORE_ERROR
}

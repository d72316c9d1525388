package dev.radiograph.daemon.query;

/**
 * A filter expression that cannot be parsed. The message says where and what, for example {@code
 * at position 14: expected a value after '>', found end of input}; the daemon answers it as an
 * {@code InvalidRequestException} and the viewer shows it under the search box.
 */
public final class FilterSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String reason;

  FilterSyntaxException(int position, String reason) {
    super("at position " + position + ": " + reason);
    this.position = position;
    this.reason = reason;
  }

  /** The 0-based char offset in the expression where the problem is. */
  public int position() {
    return position;
  }

  /** The message without its {@code at position N: } prefix. */
  public String reason() {
    return reason;
  }
}

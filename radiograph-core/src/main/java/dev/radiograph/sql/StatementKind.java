package dev.radiograph.sql;

/**
 * The kind of statement a query runs as, which decides what its {@code sql} block says: the
 * {@code preparation} X-Ray shows, and whether the text is recorded as written or with its
 * literals replaced by {@code ?} ({@link SqlSanitizer}).
 */
public enum StatementKind {
  /**
   * A plain statement: its text can hold the data itself ({@code WHERE card = '4111...'}), so
   * literals are replaced by {@code ?}. No {@code preparation}.
   */
  PLAIN(null, true),
  /**
   * A plain statement recorded as written, literals included: only when the user asked for raw
   * queries.
   */
  PLAIN_AS_WRITTEN(null, false),
  /** A prepared statement: its values are bound parameters, so the text is recorded as written. */
  PREPARED("statement", false),
  /** A callable statement (a stored procedure call), recorded as written. */
  CALL("call", false);

  private final String preparation;
  private final boolean sanitized;

  StatementKind(String preparation, boolean sanitized) {
    this.preparation = preparation;
    this.sanitized = sanitized;
  }

  /** X-Ray's {@code preparation} ({@code statement}, {@code call}), or null for a plain statement. */
  public String preparation() {
    return preparation;
  }

  /** The query text as the {@code sanitized_query} field records it, cut to its maximum length. */
  public String recordedQuery(String query) {
    return sanitized ? SqlSanitizer.sanitize(query) : SqlSanitizer.cut(query);
  }
}

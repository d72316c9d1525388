package dev.radiograph.daemon.json;

/**
 * Input that is not one valid JSON value, or nests deeper than {@link Json#MAX_DEPTH}. The
 * message says where and what: {@code "line 1, column 17: Unexpected character ..."}.
 *
 * <p>An {@link IllegalArgumentException} because what a client sent is a wrong argument: the API
 * and ingest already answer those with a 400 or a count, and need no new catch clause.
 */
public final class JsonSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  JsonSyntaxException(String message) {
    super(message);
  }
}

package dev.radiograph.internal;

/**
 * Malformed JSON, thrown by {@link JsonReader}: where the problem is and what it is. The message
 * reads {@code "line 3, column 17: expected ',' or '}' after an object member, found 'x'"}, so
 * that a caller can prefix it with a file name and show it as is.
 *
 * <p>An {@link IllegalArgumentException} because the input is an argument that is wrong: callers
 * that already report bad arguments need no new catch clause. Internal: not part of Radiograph's
 * API.
 */
public final class JsonParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String problem;
  private final int line;
  private final int column;
  private final long offset;

  JsonParseException(String problem, int line, int column, long offset) {
    super("line " + line + ", column " + column + ": " + problem);
    this.problem = problem;
    this.line = line;
    this.column = column;
    this.offset = offset;
  }

  /** What is wrong, without the position: {@code "expected ':' after a member name, found '}'"}. */
  public String problem() {
    return problem;
  }

  /** The 1-based line of the problem; CR, LF and CRLF each end a line. */
  public int line() {
    return line;
  }

  /**
   * The 1-based column of the problem, counted in characters (Unicode code points) from the start
   * of the line: a character written as several UTF-8 bytes, or as a surrogate pair in a Java
   * string, is one column, as in an editor. A byte order mark at the start is not counted.
   */
  public int column() {
    return column;
  }

  /**
   * The 0-based offset of the problem from the start of the input: in chars when a {@code String}
   * was parsed, in bytes (from the {@code offset} argument) when bytes were parsed.
   */
  public long offset() {
    return offset;
  }
}

package dev.radiograph.sql;

/**
 * Replaces the literals of a SQL text with {@code ?}, so that a plain statement's query can be
 * recorded without the data in it: quoted strings (with {@code E''}, {@code N''}, {@code X''},
 * {@code B''} prefixes and PostgreSQL dollar quoting) and numbers. Identifiers, quoted
 * identifiers, keywords, parameter markers ({@code ?}, {@code $1}, {@code :name}) and comments
 * are kept.
 *
 * <p>RATIONALE: one pass over the characters, no regular expressions, no allocation beyond the
 * result. When the text is ambiguous (an unterminated quote, a backslash that may or may not
 * escape) it redacts more rather than less: a backslash is taken as an escape, and an
 * unterminated string runs to the end of the text.
 *
 * <p>Shared by every integration that records SQL (radiograph-jdbc, the Vert.x SQL clients), so
 * that a query is redacted the same way whichever client ran it.
 */
public final class SqlSanitizer {
  /** Longest query kept; longer ones are cut (a document must fit in one datagram). */
  public static final int MAX_QUERY_LENGTH = 8 * 1024;

  private SqlSanitizer() {}

  /** The query with its literals replaced by {@code ?}, cut to {@link #MAX_QUERY_LENGTH}. */
  public static String sanitize(String sql) {
    if (sql == null) {
      return null;
    }
    int n = sql.length();
    StringBuilder out = new StringBuilder(Math.min(n, MAX_QUERY_LENGTH + 1));
    int i = 0;
    while (i < n && out.length() <= MAX_QUERY_LENGTH) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = skipString(sql, i + 1, '\'');
        out.append('?');
      } else if (c == '"' || c == '`') {
        int end = skipString(sql, i + 1, c);
        out.append(sql, i, end); // a quoted identifier, not data
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '$') {
        i = dollar(sql, i, out);
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
        i = skipNumber(sql, i);
        out.append('?');
      } else if (isIdentifierStart(c)) {
        int end = i + 1;
        while (end < n && isIdentifierPart(sql.charAt(end))) {
          end++;
        }
        if (end < n && sql.charAt(end) == '\'' && end - i == 1 && isLiteralPrefix(c)) {
          i = skipString(sql, end + 1, '\''); // E'..', N'..', X'..', B'..'
          out.append('?');
        } else {
          out.append(sql, i, end);
          i = end;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return cut(out.toString());
  }

  /** The text as written, cut to {@link #MAX_QUERY_LENGTH}. */
  public static String cut(String sql) {
    if (sql == null || sql.length() <= MAX_QUERY_LENGTH) {
      return sql;
    }
    return sql.substring(0, MAX_QUERY_LENGTH - 3) + "...";
  }

  /** The index after the string that starts at {@code from} (just after its opening quote). */
  private static int skipString(String sql, int from, char quote) {
    int n = sql.length();
    int i = from;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\\' && quote == '\'') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2; // a doubled quote inside the string
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /** {@code $1} is kept; {@code $$...$$} and {@code $tag$...$tag$} become {@code ?}. */
  private static int dollar(String sql, int i, StringBuilder out) {
    int n = sql.length();
    int end = i + 1;
    if (end < n && isDigit(sql.charAt(end))) {
      while (end < n && isDigit(sql.charAt(end))) {
        end++;
      }
      out.append(sql, i, end);
      return end;
    }
    while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
      end++;
    }
    if (end < n && sql.charAt(end) == '$') {
      String tag = sql.substring(i, end + 1);
      int close = sql.indexOf(tag, end + 1);
      out.append('?');
      return close < 0 ? n : close + tag.length();
    }
    out.append('$');
    return i + 1;
  }

  private static int skipNumber(String sql, int i) {
    int n = sql.length();
    if (sql.charAt(i) == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
      int end = i + 2;
      while (end < n && Character.digit(sql.charAt(end), 16) >= 0) {
        end++;
      }
      return end;
    }
    int end = i;
    while (end < n && (isDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
      end++;
    }
    if (end < n && (sql.charAt(end) == 'e' || sql.charAt(end) == 'E')) {
      int exponent = end + 1;
      if (exponent < n && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
        exponent++;
      }
      if (exponent < n && isDigit(sql.charAt(exponent))) {
        end = exponent;
        while (end < n && isDigit(sql.charAt(end))) {
          end++;
        }
      }
    }
    return end;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '@' || c == '#' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@' || c == '#';
  }

  private static boolean isLiteralPrefix(char c) {
    switch (c) {
      case 'E': case 'e': case 'N': case 'n': case 'X': case 'x': case 'B': case 'b':
        return true;
      default:
        return false;
    }
  }
}

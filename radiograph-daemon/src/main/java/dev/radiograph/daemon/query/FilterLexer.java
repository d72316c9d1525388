package dev.radiograph.daemon.query;

/**
 * Splits a filter expression into tokens, one at a time. Keywords are words ({@code
 * http.status}); {@code annotation.KEY} and {@code annotation[KEY]} come out as one token that
 * carries the key, because annotation keys may start with a digit.
 */
final class FilterLexer {

  enum Kind {
    END,
    WORD,
    ANNOTATION,
    STRING,
    NUMBER,
    LPAREN,
    RPAREN,
    LBRACE,
    RBRACE,
    COMMA,
    COLON,
    BANG,
    AND_AND,
    OR_OR,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE
  }

  /**
   * One token. {@code text} is the source text; {@code value} the decoded string or the
   * annotation key; {@code number} (and {@code longValue} when {@code exactLong}) a number.
   */
  record Token(
      Kind kind,
      int start,
      int end,
      String text,
      String value,
      double number,
      boolean exactLong,
      long longValue) {

    /** How a message names this token: {@code end of input}, {@code ')'}, {@code "abc"}. */
    String describe() {
      if (kind == Kind.END) {
        return "end of input";
      }
      String shown = FilterLexer.printable(text, 40);
      return kind == Kind.STRING ? shown : "'" + shown + "'";
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }
  }

  private final String src;
  private int pos;

  FilterLexer(String src) {
    this.src = src;
  }

  Token next() {
    int n = src.length();
    while (pos < n && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= n) {
      return token(Kind.END, start);
    }
    char c = src.charAt(pos);
    switch (c) {
      case '(':
        pos++;
        return token(Kind.LPAREN, start);
      case ')':
        pos++;
        return token(Kind.RPAREN, start);
      case '{':
        pos++;
        return token(Kind.LBRACE, start);
      case '}':
        pos++;
        return token(Kind.RBRACE, start);
      case ',':
        pos++;
        return token(Kind.COMMA, start);
      case ':':
        pos++;
        return token(Kind.COLON, start);
      case '!':
        pos++;
        if (peek('=')) {
          pos++;
          return token(Kind.NE, start);
        }
        return token(Kind.BANG, start);
      case '=':
        pos++;
        if (peek('=')) {
          throw new FilterSyntaxException(start, "'==' is not an operator; compare with '='");
        }
        return token(Kind.EQ, start);
      case '<':
        pos++;
        if (peek('=')) {
          pos++;
          return token(Kind.LE, start);
        }
        if (peek('>')) {
          throw new FilterSyntaxException(start, "'<>' is not an operator; use '!='");
        }
        return token(Kind.LT, start);
      case '>':
        pos++;
        if (peek('=')) {
          pos++;
          return token(Kind.GE, start);
        }
        return token(Kind.GT, start);
      case '&':
        pos++;
        if (peek('&')) {
          pos++;
          return token(Kind.AND_AND, start);
        }
        throw new FilterSyntaxException(start, "unexpected character '&' (use AND or &&)");
      case '|':
        pos++;
        if (peek('|')) {
          pos++;
          return token(Kind.OR_OR, start);
        }
        throw new FilterSyntaxException(start, "unexpected character '|' (use OR or ||)");
      case '"':
        return string(start);
      case '\'':
        throw new FilterSyntaxException(
            start, "strings are written in double quotes, not single quotes");
      default:
        break;
    }
    if (isDigit(c)
        || ((c == '-' || c == '.') && pos + 1 < n && isDigit(src.charAt(pos + 1)))
        || (c == '-' && pos + 2 < n && src.charAt(pos + 1) == '.'
            && isDigit(src.charAt(pos + 2)))) {
      return number(start);
    }
    if (isWordStart(c)) {
      return word(start);
    }
    throw new FilterSyntaxException(
        start, "unexpected character '" + printable(String.valueOf(c), 1) + "'");
  }

  private Token word(int start) {
    int n = src.length();
    while (pos < n && isWordPart(src.charAt(pos))) {
      pos++;
    }
    String text = src.substring(start, pos);
    if (text.regionMatches(true, 0, "annotation", 0, 10)) {
      if (text.length() == 10) {
        if (peek('[')) {
          return bracketAnnotation(start);
        }
        throw new FilterSyntaxException(
            start, "expected annotation.KEY or annotation[KEY] after 'annotation'");
      }
      if (text.charAt(10) == '.') {
        String key = text.substring(11);
        if (key.isEmpty()) {
          throw new FilterSyntaxException(pos, "expected an annotation key after 'annotation.'");
        }
        return new Token(Kind.ANNOTATION, start, pos, text, key, 0, false, 0);
      }
    }
    return new Token(Kind.WORD, start, pos, text, null, 0, false, 0);
  }

  /** {@code annotation[KEY]} or {@code annotation["KEY"]}; {@code pos} is at the '['. */
  private Token bracketAnnotation(int start) {
    int n = src.length();
    pos++; // '['
    skipWhitespace();
    String key;
    if (peek('"')) {
      key = string(pos).value();
    } else {
      int keyStart = pos;
      while (pos < n) {
        char c = src.charAt(pos);
        if (c == ']' || c == '"' || Character.isWhitespace(c)) {
          break;
        }
        pos++;
      }
      key = src.substring(keyStart, pos);
    }
    skipWhitespace();
    if (key.isEmpty()) {
      throw new FilterSyntaxException(pos, "expected an annotation key inside 'annotation[...]'");
    }
    if (!peek(']')) {
      throw new FilterSyntaxException(
          pos, pos >= n ? "expected ']' after the annotation key, found end of input"
              : "expected ']' after the annotation key");
    }
    pos++;
    return new Token(Kind.ANNOTATION, start, pos, src.substring(start, pos), key, 0, false, 0);
  }

  private Token number(int start) {
    int n = src.length();
    if (src.charAt(pos) == '-') {
      pos++;
    }
    boolean integral = true;
    while (pos < n && isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos < n && src.charAt(pos) == '.') {
      integral = false;
      pos++;
      while (pos < n && isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < n && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < n && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < n && isDigit(src.charAt(pos))) {
        integral = false;
        while (pos < n && isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save; // not an exponent: the check below reports "1e" as an invalid number
      }
    }
    if (pos < n && (isWordPart(src.charAt(pos)))) {
      int end = pos;
      while (end < n && isWordPart(src.charAt(end))) {
        end++;
      }
      throw new FilterSyntaxException(
          start, "invalid number '" + printable(src.substring(start, end), 40) + "'");
    }
    String text = src.substring(start, pos);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new FilterSyntaxException(start, "invalid number '" + printable(text, 40) + "'");
    }
    if (Double.isInfinite(value)) {
      throw new FilterSyntaxException(start, "number out of range '" + printable(text, 40) + "'");
    }
    boolean exactLong = false;
    long longValue = 0;
    if (integral) {
      try {
        longValue = Long.parseLong(text);
        exactLong = true;
      } catch (NumberFormatException e) {
        // too large for a long: compared as a double
      }
    }
    return new Token(Kind.NUMBER, start, pos, text, null, value, exactLong, longValue);
  }

  /** A double-quoted string with JSON's backslash escapes; {@code pos} is at the opening quote. */
  private Token string(int start) {
    int n = src.length();
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= n) {
        throw new FilterSyntaxException(start, "unterminated string (no closing '\"')");
      }
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (c != '\\') {
        out.append(c);
        pos++;
        continue;
      }
      int escape = pos;
      if (pos + 1 >= n) {
        throw new FilterSyntaxException(start, "unterminated string (no closing '\"')");
      }
      char e = src.charAt(pos + 1);
      pos += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'u':
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = pos < n ? Character.digit(src.charAt(pos), 16) : -1;
            if (digit < 0) {
              throw new FilterSyntaxException(
                  escape, "invalid escape in string: '\\u' needs four hex digits");
            }
            code = code * 16 + digit;
            pos++;
          }
          out.append((char) code);
          break;
        default:
          throw new FilterSyntaxException(
              escape,
              "invalid escape '\\" + printable(String.valueOf(e), 1)
                  + "' in string (use \\\" \\\\ \\/ \\n \\r \\t \\b \\f or \\uXXXX)");
      }
    }
    return new Token(
        Kind.STRING, start, pos, src.substring(start, pos), out.toString(), 0, false, 0);
  }

  private Token token(Kind kind, int start) {
    return new Token(kind, start, pos, src.substring(start, pos), null, 0, false, 0);
  }

  private boolean peek(char c) {
    return pos < src.length() && src.charAt(pos) == c;
  }

  private void skipWhitespace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || isDigit(c) || c == '.';
  }

  /** {@code text} cut to {@code max} chars, with control chars and surrogates as {@code \\uXXXX}. */
  static String printable(String text, int max) {
    StringBuilder out = new StringBuilder();
    int limit = Math.min(text.length(), max);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028'
          || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > max) {
      out.append("...");
    }
    return out.toString();
  }
}

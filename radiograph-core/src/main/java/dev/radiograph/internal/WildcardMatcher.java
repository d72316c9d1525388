package dev.radiograph.internal;

/**
 * X-Ray's wildcard patterns: {@code *} matches any run of characters (none included), {@code ?}
 * exactly one, everything else itself, case-insensitively. Used by sampling rules and by
 * {@code dynamic-naming}. Allocation-free and linear in practice: one backtrack point, as in
 * the classic glob algorithm.
 */
public final class WildcardMatcher {
  private WildcardMatcher() {}

  /**
   * Whether {@code text} matches {@code pattern}. A {@code null} pattern or {@code "*"} matches
   * everything; a {@code null} text is matched as the empty string.
   */
  public static boolean matches(String pattern, String text) {
    if (pattern == null || (pattern.length() == 1 && pattern.charAt(0) == '*')) {
      return true;
    }
    if (text == null) {
      text = "";
    }
    int p = 0;
    int t = 0;
    int starP = -1;
    int starT = 0;
    int pl = pattern.length();
    int tl = text.length();
    while (t < tl) {
      if (p < pl) {
        char pc = pattern.charAt(p);
        if (pc == '*') {
          starP = p++;
          starT = t;
          continue;
        }
        if (pc == '?' || sameIgnoringCase(pc, text.charAt(t))) {
          p++;
          t++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      p = starP + 1;
      t = ++starT;
    }
    while (p < pl && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pl;
  }

  private static boolean sameIgnoringCase(char a, char b) {
    if (a == b) {
      return true;
    }
    char ua = Character.toUpperCase(a);
    char ub = Character.toUpperCase(b);
    return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
  }
}

package dev.radiograph;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * X-Ray's validation rules for what users put into entities, applied where the data enters so
 * that every document sent is one AWS X-Ray accepts. Each kind of rejected input is logged once
 * per distinct key (a bounded set), never per request.
 */
final class EntityRules {
  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_ANNOTATION_KEY_LENGTH = 500;
  static final int MAX_ANNOTATION_STRING_LENGTH = 1000;
  static final int MAX_ANNOTATIONS = 50;
  static final String DEFAULT_NAME = "unknown";

  private static final Logger LOG = System.getLogger("dev.radiograph");
  private static final int MAX_REMEMBERED = 256;
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private EntityRules() {}

  /**
   * The name with characters outside X-Ray's set (letters, digits, spaces and
   * {@code _ . : / % & # = + \ - @}) replaced by {@code _}, cut to 200 characters.
   */
  static String sanitizeName(String name) {
    if (name == null || name.isEmpty()) {
      return DEFAULT_NAME;
    }
    int length = name.length();
    if (length <= MAX_NAME_LENGTH) {
      boolean clean = true;
      for (int i = 0; i < length; i++) {
        char c = name.charAt(i);
        if (!isAsciiNameChar(c)) {
          clean = false;
          break;
        }
      }
      if (clean) {
        return name; // the common case: no copy
      }
    }
    StringBuilder out = new StringBuilder(Math.min(length, MAX_NAME_LENGTH));
    for (int i = 0; i < length && out.length() < MAX_NAME_LENGTH; ) {
      int cp = name.codePointAt(i);
      int width = Character.charCount(cp);
      boolean allowed = cp < 0x80 ? isAsciiNameChar((char) cp) : isNonAsciiNameChar(cp);
      if (allowed && out.length() + width <= MAX_NAME_LENGTH) {
        out.appendCodePoint(cp);
      } else if (allowed) {
        break; // a surrogate pair that would straddle the limit
      } else {
        out.append('_');
      }
      i += width;
    }
    return out.toString();
  }

  private static boolean isAsciiNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == ' '
        || c == '_' || c == '.' || c == ':' || c == '/' || c == '%' || c == '&'
        || c == '#' || c == '=' || c == '+' || c == '\\' || c == '-' || c == '@';
  }

  private static boolean isNonAsciiNameChar(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /** Whether X-Ray accepts {@code key} as an annotation key: {@code [A-Za-z0-9_]{1,500}}. */
  static boolean isValidAnnotationKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_ANNOTATION_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Logs {@code message} once for {@code key} (within a bounded memory of keys). */
  static void logOnce(String kind, String key, String message) {
    String memo = kind + '\u0000' + key;
    if (LOGGED.size() < MAX_REMEMBERED && LOGGED.add(memo)) {
      LOG.log(Level.WARNING, message);
    }
  }
}

package dev.radiograph.jdbc;

import dev.radiograph.net.HostAndPort;
import java.util.Locale;

/**
 * Reads the parts of a JDBC URL that the {@code sql} block and the subsegment name need, and
 * takes the credentials out of it. JDBC URLs have no common grammar; these are the shapes of the
 * common drivers: {@code jdbc:postgresql://user:secret@host:5432/db?password=x},
 * {@code jdbc:sqlserver://host:1433;databaseName=db;password=x},
 * {@code jdbc:oracle:thin:user/secret@//host:1521/service}, {@code jdbc:h2:mem:db}.
 */
final class JdbcUrl {
  private JdbcUrl() {}

  /**
   * The URL without passwords: the password of a {@code user:password@} or Oracle's
   * {@code user/password@}, and every parameter whose name says password, secret or token.
   */
  static String withoutCredentials(String url) {
    if (url == null) {
      return null;
    }
    int paramsStart = firstIndexOf(url, '?', ';', authorityEnd(url));
    String base = paramsStart < 0 ? url : url.substring(0, paramsStart);
    String params = paramsStart < 0 ? "" : url.substring(paramsStart);
    return stripUserPassword(base) + stripSecretParams(params);
  }

  /**
   * The host and port the URL connects to (the first, for a list of hosts), or {@code null}: an
   * in-memory or file database, or an address {@link HostAndPort#parseAuthority} cannot read.
   */
  static HostAndPort hostAndPort(String url) {
    if (url == null) {
      return null;
    }
    int start = hostStart(url);
    if (start < 0) {
      return null;
    }
    int end = url.startsWith("[", start) ? url.indexOf(']', start) + 1 : start;
    if (end == 0) {
      return null; // an IPv6 address with no closing bracket
    }
    while (end < url.length() && "/;?\\,".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    if (isOracleSidForm(url)) {
      // jdbc:oracle:thin:@host:port:sid: the SID follows the port after one more colon.
      int portColon = authority.indexOf(':', authority.startsWith("[") ? authority.indexOf(']') : 0);
      int sidColon = portColon < 0 ? -1 : authority.indexOf(':', portColon + 1);
      authority = sidColon < 0 ? authority : authority.substring(0, sidColon);
    }
    return HostAndPort.parseAuthority(authority);
  }

  /** The database named in the URL's path (or {@code databaseName=}), or {@code null}. */
  static String database(String url) {
    if (url == null) {
      return null;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    int named = lower.indexOf("databasename=");
    if (named >= 0) {
      return token(url, named + "databasename=".length());
    }
    int start = hostStart(url);
    if (start < 0) {
      int colon = url.lastIndexOf(':');
      return colon < 0 ? null : token(url, colon + 1); // jdbc:h2:mem:orders
    }
    int slash = url.indexOf('/', start);
    return slash < 0 ? null : token(url, slash + 1);
  }

  private static String token(String url, int from) {
    int end = from;
    while (end < url.length() && "?;&/".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return end > from ? url.substring(from, end) : null;
  }

  /** Where the host begins: after {@code //} and any {@code userinfo@}, or after Oracle's {@code @}. */
  private static int hostStart(String url) {
    int slashes = url.indexOf("//");
    int at = oracleAt(url);
    if (at >= 0) {
      int start = at + 1; // jdbc:oracle:thin:user/pw@//host or @host:port:sid
      return url.startsWith("//", start) ? start + 2 : start;
    }
    if (slashes < 0) {
      return -1;
    }
    int start = slashes + 2;
    int end = firstIndexOf(url, '/', '?', start);
    int userInfo = url.lastIndexOf('@', end < 0 ? url.length() - 1 : end);
    return userInfo >= start ? userInfo + 1 : start;
  }

  /** The {@code @} of Oracle's {@code user/pw@host} form (before any {@code //}), or -1. */
  private static int oracleAt(String url) {
    int slashes = url.indexOf("//");
    int at = url.indexOf('@');
    return at >= 0 && (slashes < 0 || at < slashes) ? at : -1;
  }

  /** Whether the URL is Oracle's {@code @host:port:sid} (no {@code //} after the {@code @}). */
  private static boolean isOracleSidForm(String url) {
    int at = oracleAt(url);
    return at >= 0 && !url.startsWith("//", at + 1);
  }

  private static int authorityEnd(String url) {
    int start = hostStart(url);
    return start < 0 ? 0 : start;
  }

  private static String stripUserPassword(String base) {
    int at = base.lastIndexOf('@');
    if (at < 0) {
      return base;
    }
    int slashes = base.indexOf("//");
    int userStart = slashes >= 0 && slashes < at ? slashes + 2 : base.lastIndexOf(':', at) + 1;
    String userInfo = base.substring(userStart, at);
    int separator = slashes >= 0 && slashes < at ? userInfo.indexOf(':') : userInfo.indexOf('/');
    if (separator < 0) {
      return base;
    }
    return base.substring(0, userStart) + userInfo.substring(0, separator) + base.substring(at);
  }

  private static String stripSecretParams(String params) {
    if (params.isEmpty()) {
      return params;
    }
    StringBuilder out = new StringBuilder(params.length());
    int i = 0;
    while (i < params.length()) {
      char separator = params.charAt(i);
      int end = i + 1;
      while (end < params.length() && "&;?".indexOf(params.charAt(end)) < 0) {
        end++;
      }
      String param = params.substring(i + 1, end);
      int eq = param.indexOf('=');
      String key = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (!isSecret(key)) {
        out.append(separator).append(param);
      }
      i = end;
    }
    if (out.length() > 0 && out.charAt(0) == '&') {
      out.setCharAt(0, '?'); // the first kept parameter follows the '?'
    }
    return out.toString();
  }

  private static boolean isSecret(String key) {
    return key.contains("password") || key.contains("secret") || key.contains("token")
        || key.equals("pwd") || key.equals("passwd");
  }

  private static int firstIndexOf(String s, char a, char b, int from) {
    for (int i = Math.max(from, 0); i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}

package dev.radiograph.net;

import java.util.Objects;

/**
 * A host and a port, read the one way every part of Radiograph reads them: the daemon address,
 * the daemon's {@code --udp}/{@code --http} flags, a request's {@code Host} header, a database's
 * peer address. IPv4 ({@code 127.0.0.1:2000}), host names ({@code localhost:2000}), IPv6 in
 * brackets ({@code [::1]:2000}) with an optional zone id ({@code [fe80::1%eth0]:2000}); ports
 * 0 to 65535. Parsing never resolves a name.
 *
 * <p>Two readers, for the two kinds of input: {@link #parse} for what a person wrote (a setting,
 * a flag), strict, with an error that says what is wrong; {@link #parseAuthority} for what came
 * over the wire (a header, a peer address), tolerant, never throwing.
 *
 * <p>Immutable. {@link #toString()} writes the form {@link #parse} reads back.
 */
public final class HostAndPort {
  /** The port of an authority that named none. */
  public static final int NO_PORT = -1;

  private final String host; // without brackets; an IPv6 address may carry %zone
  private final int port; // 0-65535, or NO_PORT

  private HostAndPort(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * A host and port given in code.
   *
   * @throws IllegalArgumentException for an empty host or a port outside 0-65535
   */
  public static HostAndPort of(String host, int port) {
    Objects.requireNonNull(host, "host");
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.isEmpty()) {
      throw new IllegalArgumentException("missing host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    return new HostAndPort(bare, port);
  }

  /**
   * Reads {@code host:port} as a person writes it in a setting or a flag: surrounding spaces
   * ignored, the port required, an IPv6 address in brackets.
   *
   * @throws IllegalArgumentException with a message that quotes the input and says what is wrong
   */
  public static HostAndPort parse(String text) {
    return parse(text, 0);
  }

  /**
   * Reads {@code host:port} as {@link #parse} does, for an address to send to: the port must be
   * 1-65535 (0 means "any port" only when binding).
   *
   * @throws IllegalArgumentException with a message that quotes the input and says what is wrong
   */
  public static HostAndPort parseDestination(String text) {
    return parse(text, 1);
  }

  private static HostAndPort parse(String text, int minPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected host:port, for example 127.0.0.1:2000");
    }
    String s = text.trim();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' after the IPv6 address in '" + s + "'");
      }
      if (close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("missing :port after [" + s.substring(1, close) + "] in '" + s + "'");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException("brackets are for IPv6 addresses only, in '" + s + "'");
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("missing :port in '" + s + "'");
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("write an IPv6 address in brackets, as [" + host + "]:" + portText);
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + s + "'");
    }
    String invalid = invalidHostCharacter(host);
    if (invalid != null) {
      throw new IllegalArgumentException("invalid character " + invalid + " in host '" + host + "'");
    }
    int port = portOf(portText);
    if (port == BAD_NUMBER) {
      throw new IllegalArgumentException("port is not a number in '" + s + "'");
    }
    if (port == OUT_OF_RANGE || port < minPort) {
      throw new IllegalArgumentException("port must be " + minPort + "-65535 in '" + s + "'");
    }
    return new HostAndPort(host, port);
  }

  /**
   * Reads an authority as it arrives from another process: a {@code Host} header, a peer
   * address. The port is optional ({@link #NO_PORT} when absent), an IPv6 address may come with
   * or without brackets ({@code ::1}, {@code [::1]:8080}), and surrounding spaces are ignored.
   * Never throws: {@code null} for input with no usable host.
   */
  public static HostAndPort parseAuthority(String authority) {
    if (authority == null) {
      return null;
    }
    String s = authority.trim();
    if (s.isEmpty()) {
      return null;
    }
    String host;
    int port = NO_PORT;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 2) {
        return null;
      }
      host = s.substring(1, close);
      if (close + 1 < s.length()) {
        if (s.charAt(close + 1) != ':') {
          return null;
        }
        port = portOf(s.substring(close + 2));
      }
    } else {
      int first = s.indexOf(':');
      int last = s.lastIndexOf(':');
      if (first >= 0 && first == last) {
        host = s.substring(0, first);
        port = portOf(s.substring(first + 1));
      } else {
        host = s; // no colon, or several: a bare IPv6 address, which cannot carry a port
      }
    }
    if (host.isEmpty() || port < NO_PORT || invalidHostCharacter(host) != null) {
      return null;
    }
    return new HostAndPort(host, port);
  }

  /** The host without brackets: {@code 127.0.0.1}, {@code localhost}, {@code ::1}, {@code fe80::1%eth0}. */
  public String host() {
    return host;
  }

  /** The port, or {@link #NO_PORT} for an authority that named none. */
  public int port() {
    return port;
  }

  /** Whether a port was given. */
  public boolean hasPort() {
    return port != NO_PORT;
  }

  /** Whether the host is an IPv6 address (it is then written in brackets). */
  public boolean isIpv6() {
    return host.indexOf(':') >= 0;
  }

  /**
   * The host as it is written in a URL or a {@code Host} header: an IPv6 address in brackets
   * ({@code [::1]}), anything else as it is.
   */
  public String hostForUrl() {
    return isIpv6() ? "[" + host + "]" : host;
  }

  /** {@code host:port} (or the host alone when there is no port), IPv6 in brackets. */
  @Override
  public String toString() {
    return hasPort() ? hostForUrl() + ":" + port : hostForUrl();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostAndPort)) {
      return false;
    }
    HostAndPort other = (HostAndPort) o;
    return port == other.port && host.equals(other.host);
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  private static final int BAD_NUMBER = -2;
  private static final int OUT_OF_RANGE = -3;

  /** The port in {@code text}: 0-65535, or {@link #BAD_NUMBER} / {@link #OUT_OF_RANGE}. */
  private static int portOf(String text) {
    if (text.isEmpty() || text.length() > 9) {
      return text.isEmpty() || !allDigits(text) ? BAD_NUMBER : OUT_OF_RANGE;
    }
    if (!allDigits(text)) {
      return BAD_NUMBER;
    }
    int port = Integer.parseInt(text);
    return port <= 65535 ? port : OUT_OF_RANGE;
  }

  private static boolean allDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The first character a host name or address cannot hold, quoted, or null. A zone id
   * ({@code %eth0}) is allowed after an IPv6 address only.
   */
  private static String invalidHostCharacter(String host) {
    int zone = host.indexOf('%');
    if (zone >= 0 && (host.indexOf(':') < 0 || zone == host.length() - 1)) {
      return "'%'";
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == ':'
          || (zone >= 0 && i >= zone); // zone ids are interface names: %eth0, %25, %en0
      if (!ok || Character.isWhitespace(c)) {
        return "'" + c + "'";
      }
    }
    return null;
  }
}

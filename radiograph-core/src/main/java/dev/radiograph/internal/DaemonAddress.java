package dev.radiograph.internal;

import dev.radiograph.net.HostAndPort;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the X-Ray daemon listens: a UDP address for segment documents and a TCP address for the
 * sampling proxy. Written {@code host:port} (both the same) or {@code tcp:host:port
 * udp:host:port} in either order, as in every X-Ray SDK; IPv6 hosts in brackets
 * ({@code [::1]:2000}). Parsing never resolves a host name: that happens off the request path.
 */
public final class DaemonAddress {
  /** The X-Ray daemon's default: {@code 127.0.0.1:2000} for both. */
  public static final DaemonAddress DEFAULT = new DaemonAddress("127.0.0.1", 2000, "127.0.0.1", 2000);

  private final String udpHost;
  private final int udpPort;
  private final String tcpHost;
  private final int tcpPort;

  private DaemonAddress(String udpHost, int udpPort, String tcpHost, int tcpPort) {
    this.udpHost = udpHost;
    this.udpPort = udpPort;
    this.tcpHost = tcpHost;
    this.tcpPort = tcpPort;
  }

  /** An address where UDP and TCP share the host and port. */
  public static DaemonAddress of(String host, int port) {
    checkPort(port, host + ":" + port);
    return new DaemonAddress(Objects.requireNonNull(host, "host"), port, host, port);
  }

  /**
   * Parses {@code host:port} or {@code tcp:host:port udp:host:port}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static DaemonAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected host:port, for example 127.0.0.1:2000");
    }
    String trimmed = text.trim();
    String[] parts = trimmed.split("\\s+");
    if (parts.length == 1) {
      String lower = parts[0].toLowerCase(Locale.ROOT);
      if (lower.startsWith("tcp:") || lower.startsWith("udp:")) {
        throw new IllegalArgumentException(
            "the tcp:/udp: form needs both addresses: 'tcp:host:port udp:host:port'");
      }
      HostAndPort address = HostAndPort.parseDestination(parts[0]);
      return new DaemonAddress(address.host(), address.port(), address.host(), address.port());
    }
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "expected host:port or 'tcp:host:port udp:host:port', got " + parts.length + " parts");
    }
    HostAndPort tcp = null;
    HostAndPort udp = null;
    for (String part : parts) {
      String lower = part.toLowerCase(Locale.ROOT);
      if (lower.startsWith("tcp:") && tcp == null) {
        tcp = HostAndPort.parseDestination(part.substring(4));
      } else if (lower.startsWith("udp:") && udp == null) {
        udp = HostAndPort.parseDestination(part.substring(4));
      } else {
        throw new IllegalArgumentException(
            "in the two-address form each part starts with tcp: or udp:, once each; got '" + part + "'");
      }
    }
    return new DaemonAddress(udp.host(), udp.port(), tcp.host(), tcp.port());
  }

  public String udpHost() {
    return udpHost;
  }

  public int udpPort() {
    return udpPort;
  }

  public String tcpHost() {
    return tcpHost;
  }

  public int tcpPort() {
    return tcpPort;
  }

  /** The sampling proxy's base URL, {@code http://host:port}. */
  public String tcpBaseUrl() {
    return "http://" + HostAndPort.of(tcpHost, tcpPort);
  }

  @Override
  public String toString() {
    HostAndPort udp = HostAndPort.of(udpHost, udpPort);
    if (udpHost.equals(tcpHost) && udpPort == tcpPort) {
      return udp.toString();
    }
    return "tcp:" + HostAndPort.of(tcpHost, tcpPort) + " udp:" + udp;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DaemonAddress)) {
      return false;
    }
    DaemonAddress other = (DaemonAddress) o;
    return udpPort == other.udpPort
        && tcpPort == other.tcpPort
        && udpHost.equals(other.udpHost)
        && tcpHost.equals(other.tcpHost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(udpHost, udpPort, tcpHost, tcpPort);
  }

  private static void checkPort(int port, String text) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535 in '" + text + "'");
    }
  }
}

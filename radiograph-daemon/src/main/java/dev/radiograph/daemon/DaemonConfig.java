package dev.radiograph.daemon;

import dev.radiograph.daemon.api.LogsUrlTemplate;
import dev.radiograph.net.HostAndPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** How a {@link Daemon} runs: where it listens, what it keeps, and where it forwards. */
public final class DaemonConfig {
  private final String udp;
  private final String http;
  private final String rulesFile;
  private final int maxTraces;
  private final long maxBytes;
  private final int maxTraceDocuments;
  private final boolean forwardToAws;
  private final URI endpoint;
  private final String region;
  private final List<String> remoteHosts;
  private final String token;
  private final Duration requestTimeout;
  private final LogsUrlTemplate logsUrl;
  private final String otlpHttp;
  private final String otlpGrpc;
  private final boolean forwardToOtlp;
  private final java.util.Map<String, String> headers;
  private final Path dataDirectory;
  private final Duration retention;

  private DaemonConfig(Builder b) {
    this.forwardToOtlp = b.forwardToOtlp;
    this.headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.headers));
    this.otlpHttp = b.otlpHttp;
    this.otlpGrpc = b.otlpGrpc;
    this.udp = b.udp;
    this.http = b.http;
    this.rulesFile = b.rulesFile;
    this.maxTraces = b.maxTraces;
    this.maxBytes = b.maxBytes;
    this.maxTraceDocuments = b.maxTraceDocuments;
    this.forwardToAws = b.forwardToAws;
    this.endpoint = b.endpoint;
    this.region = b.region;
    this.remoteHosts = List.copyOf(b.remoteHosts);
    this.token = b.token;
    this.requestTimeout = b.requestTimeout;
    this.logsUrl = b.logsUrl;
    this.dataDirectory = b.dataDirectory;
    this.retention = b.retention;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String udp() {
    return udp;
  }

  public String http() {
    return http;
  }

  public String rulesFile() {
    return rulesFile;
  }

  public int maxTraces() {
    return maxTraces;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Documents one trace may hold; past it the trace is marked truncated and the rest are counted. */
  public int maxTraceDocuments() {
    return maxTraceDocuments;
  }

  public boolean forwardToAws() {
    return forwardToAws;
  }

  public URI endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  /** Whether {@code --allow-remote} named hosts: addresses other than loopback may be bound, and a token is needed. */
  public boolean allowRemote() {
    return !remoteHosts.isEmpty();
  }

  /** The host names and addresses besides loopback that the daemon answers to ({@code --allow-remote}), lower case. */
  public List<String> remoteHosts() {
    return remoteHosts;
  }

  /** The token the viewer and query API need ({@code --token}), or null: made up with {@code --allow-remote}, else none. */
  public String token() {
    return token;
  }

  /** How long a request's body, and the next request on a kept-alive connection, may take to arrive. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** TCP address of OTLP/HTTP ({@code POST /v1/traces}), {@code host:port}, or {@code off}. */
  public String otlpHttp() {
    return otlpHttp;
  }

  /** TCP address of OTLP/gRPC ({@code TraceService/Export}), {@code host:port}, or {@code off}. */
  public String otlpGrpc() {
    return otlpGrpc;
  }

  /** {@code --forward otlp}: documents are also sent as OTLP spans to {@link #endpoint()}. */
  public boolean forwardToOtlp() {
    return forwardToOtlp;
  }

  /** {@code --header K=V}: headers of every OTLP forwarding request. */
  public java.util.Map<String, String> headers() {
    return headers;
  }

  /** {@link #bindAddress}, or null for {@code off}. */
  InetSocketAddress bindAddressOrOff(String text, String flag) {
    return "off".equals(text) ? null : bindAddress(text, flag);
  }

  /** The viewer's link to the user's log search, or null for none (the viewer shows the ids to paste). */
  public LogsUrlTemplate logsUrl() {
    return logsUrl;
  }

  /** Where the store keeps its database ({@code --data}), or null to keep traces in memory only. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** How long the store on disk keeps a trace after it first arrived, or null for no age bound. */
  public Duration retention() {
    return retention;
  }

  /**
   * Resolves {@code host:port} for binding; a non-loopback address needs {@code allowRemote}.
   *
   * @throws IllegalArgumentException saying what is wrong with the address
   */
  InetSocketAddress bindAddress(String text, String flag) {
    HostAndPort hostAndPort;
    try {
      hostAndPort = HostAndPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage());
    }
    String host = hostAndPort.host();
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(flag + ": unknown host '" + host + "'");
    }
    if (!address.isLoopbackAddress() && !allowRemote()) {
      throw new IllegalArgumentException(flag + ": " + host + " is not a loopback address; the daemon binds only"
          + " loopback unless started with --allow-remote (anyone who can reach it can read your traces)");
    }
    return new InetSocketAddress(address, hostAndPort.port());
  }

  /** Builds a {@link DaemonConfig}; the defaults are the X-Ray daemon's. */
  public static final class Builder {
    private static final Pattern HOST = Pattern.compile("[a-z0-9._:-]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{16,}");

    private String udp = "127.0.0.1:2000";
    private String http = "127.0.0.1:2000";
    private String rulesFile;
    private int maxTraces = 10_000;
    private long maxBytes = 256L * 1024 * 1024;
    private int maxTraceDocuments = dev.radiograph.daemon.store.MemoryTraceStore.DEFAULT_MAX_TRACE_DOCUMENTS;
    private boolean forwardToAws;
    private URI endpoint;
    private String region;
    private final List<String> remoteHosts = new ArrayList<>();
    private String token;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private LogsUrlTemplate logsUrl;
    // Off unless asked for: the command line asks for 4318 and 4317; an embedded daemon (a test)
    // must not take the well-known ports by default.
    private String otlpHttp = "off";
    private String otlpGrpc = "off";
    private boolean forwardToOtlp;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    private Path dataDirectory;
    private Duration retention;

    private Builder() {}

    /** Also send every document as OTLP spans to the {@link #endpoint} (the full traces URL). */
    public Builder forwardToOtlp(boolean forward) {
      this.forwardToOtlp = forward;
      return this;
    }

    /** A header of every OTLP forwarding request (authentication, a tenant). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** TCP address of OTLP/HTTP, {@code host:port} ({@code 127.0.0.1:4318} on the command line), or {@code off}. */
    public Builder otlpHttp(String hostPortOrOff) {
      this.otlpHttp = Objects.requireNonNull(hostPortOrOff, "otlpHttp");
      return this;
    }

    /** TCP address of OTLP/gRPC, {@code host:port} ({@code 127.0.0.1:4317} on the command line), or {@code off}. */
    public Builder otlpGrpc(String hostPortOrOff) {
      this.otlpGrpc = Objects.requireNonNull(hostPortOrOff, "otlpGrpc");
      return this;
    }

    /** UDP address for segment documents, {@code host:port}. */
    public Builder udp(String hostPort) {
      this.udp = Objects.requireNonNull(hostPort, "udp");
      return this;
    }

    /** TCP address for the X-Ray API and the viewer, {@code host:port}. */
    public Builder http(String hostPort) {
      this.http = Objects.requireNonNull(hostPort, "http");
      return this;
    }

    /** A local sampling rules file (X-Ray's version 1 or 2 format), or null for X-Ray's default rule. */
    public Builder rulesFile(String rulesFile) {
      this.rulesFile = rulesFile;
      return this;
    }

    public Builder maxTraces(int maxTraces) {
      if (maxTraces < 1) {
        throw new IllegalArgumentException("--max-traces must be at least 1, got " + maxTraces);
      }
      this.maxTraces = maxTraces;
      return this;
    }

    public Builder maxBytes(long maxBytes) {
      if (maxBytes < 1) {
        throw new IllegalArgumentException("--max-bytes must be at least 1, got " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /** Documents one trace may hold (default 100,000); later ones are counted, and the trace marked truncated. */
    public Builder maxTraceDocuments(int maxTraceDocuments) {
      if (maxTraceDocuments < 1) {
        throw new IllegalArgumentException("--max-trace-documents must be at least 1, got " + maxTraceDocuments);
      }
      this.maxTraceDocuments = maxTraceDocuments;
      return this;
    }

    /** Also send every document to AWS X-Ray, and proxy sampling to it. */
    public Builder forwardToAws(boolean forward) {
      this.forwardToAws = forward;
      return this;
    }

    /** The AWS X-Ray endpoint to use instead of the region's. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /**
     * Allows binding addresses other than loopback, and answering requests whose {@code Host} is
     * one of {@code hosts} (names or addresses, without port) besides the loopback ones. The viewer
     * and the query API then need a token ({@link #token}, or one made up at start).
     *
     * @throws IllegalArgumentException when a host is empty or not a host name or address
     */
    public Builder allowRemote(List<String> hosts) {
      remoteHosts.clear();
      for (String host : hosts) {
        String h = dev.radiograph.daemon.api.AccessPolicy.normalizeHost(host);
        if (!HOST.matcher(h).matches()) {
          throw new IllegalArgumentException("--allow-remote takes host names or addresses separated by commas"
              + " (no port, no scheme), got '" + host + "'");
        }
        remoteHosts.add(h);
      }
      return this;
    }

    /**
     * The token the viewer and query API need: {@code Authorization: Bearer TOKEN}, or the viewer
     * opened once at {@code /?token=TOKEN}. Null for none, unless {@link #allowRemote} makes one.
     *
     * @throws IllegalArgumentException for a token shorter than 16 characters or with characters
     *     other than letters, digits and {@code - . _ ~ + /}
     */
    public Builder token(String token) {
      if (token != null && !TOKEN.matcher(token).matches()) {
        throw new IllegalArgumentException("--token must be at least 16 letters, digits or - . _ ~ + / characters");
      }
      this.token = token;
      return this;
    }

    /** How long a request's body, and the next request on a kept-alive connection, may take to arrive (30 s). */
    public Builder requestTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the request timeout must be positive, got " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * A link template for the viewer's "Logs" links (see {@link LogsUrlTemplate}), or null for none.
     *
     * @throws IllegalArgumentException when the template is not one the viewer may link to
     */
    public Builder logsUrl(String template) {
      this.logsUrl = template != null ? LogsUrlTemplate.parse(template) : null;
      return this;
    }

    /**
     * Keeps the traces in a database in {@code directory} ({@code --data}), so that they survive
     * a restart; null (the default) keeps them in memory only.
     */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = directory;
      return this;
    }

    /**
     * How long a trace is kept after it first arrived ({@code --retention}); needs a
     * {@link #dataDirectory}. Null (the default) keeps traces as long as the other bounds allow.
     */
    public Builder retention(Duration retention) {
      if (retention != null && (retention.isNegative() || retention.isZero())) {
        throw new IllegalArgumentException("--retention must be positive, got " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** @throws IllegalArgumentException when a retention is set without a data directory */
    public DaemonConfig build() {
      if (retention != null && dataDirectory == null) {
        throw new IllegalArgumentException("--retention applies to the store on disk: give --data DIR as well"
            + " (in memory, --max-traces and --max-bytes bound the store)");
      }
      return new DaemonConfig(this);
    }
  }
}

package dev.radiograph.daemon;

import dev.radiograph.daemon.api.AccessPolicy;
import dev.radiograph.daemon.api.XRayApi;
import dev.radiograph.daemon.ingest.UdpReceiver;
import dev.radiograph.daemon.sampling.SamplingProxy;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.MemoryTraceStore;
import dev.radiograph.daemon.store.SqliteTraceStore;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.net.HostAndPort;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The local X-Ray daemon: UDP ingest on the daemon address, the X-Ray API and the viewer over
 * HTTP on the same port number (TCP), a store in memory (or on disk with a data directory), and
 * optional forwarding to AWS X-Ray.
 *
 * <pre>{@code
 * try (Daemon daemon = Daemon.start(DaemonConfig.builder().build())) {  // 127.0.0.1:2000
 *   System.out.println("viewer: " + daemon.baseUrl());
 * }
 * }</pre>
 *
 * <p>HTTP is Vert.x's server: an event loop, so a slow or stalled client holds no thread; idle
 * and per-request deadlines; header and body limits (431, 413); HTTP/1.1 and HTTP/2 cleartext.
 * {@link #vertx()} and {@link #router()} are where other HTTP ingest (OTLP) mounts.
 */
public final class Daemon implements AutoCloseable {
  /** The largest request line and headers together; more is answered 431. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final TraceStore store;
  private final UdpReceiver udp;
  private final Vertx vertx;
  private final XRayApi api;
  private final Router router;
  private final HttpServer http;
  private final InetSocketAddress httpAddress;
  private final String token;
  private final AutoCloseable forwarder;
  private dev.radiograph.daemon.otlp.OtlpReceiver otlp; // null when both OTLP ports are off

  private Daemon(TraceStore store, UdpReceiver udp, Vertx vertx, XRayApi api, Router router, HttpServer http,
      InetSocketAddress httpAddress, String token, AutoCloseable forwarder) {
    this.store = store;
    this.udp = udp;
    this.vertx = vertx;
    this.api = api;
    this.router = router;
    this.http = http;
    this.httpAddress = httpAddress;
    this.token = token;
    this.forwarder = forwarder;
  }

  /**
   * Starts a daemon.
   *
   * @throws IllegalArgumentException for a bad address or rules file, with a message to show
   * @throws IOException when an address cannot be bound (in use)
   */
  public static Daemon start(DaemonConfig config) throws IOException {
    InetSocketAddress udpAddress = config.bindAddress(config.udp(), "--udp");
    InetSocketAddress httpAddress = config.bindAddress(config.http(), "--http");
    SamplingProxy sampling = SamplingProxy.fromFile(config.rulesFile());
    TraceStore store = openStore(config);
    Forwarding forwarding;
    try {
      forwarding = config.forwardToAws() ? Forwarding.toAws(config)
          : config.forwardToOtlp() ? Forwarding.toOtlp(config) : Forwarding.NONE;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    UdpReceiver udp;
    try {
      udp = new UdpReceiver(udpAddress, store, forwarding.documents);
    } catch (IOException e) {
      forwarding.close();
      store.close();
      if (!(e instanceof BindException)) {
        throw e;
      }
      throw new BindException("cannot listen on UDP " + config.udp() + ": " + e.getMessage()
          + " (is another X-Ray daemon running? choose another with --udp)");
    }
    String token = config.token() != null ? config.token() : config.allowRemote() ? newToken() : null;
    Set<String> hosts = new HashSet<>(config.remoteHosts());
    if (!httpAddress.getAddress().isAnyLocalAddress()) {
      hosts.add(AccessPolicy.normalizeHost(httpAddress.getAddress().getHostAddress()));
    }
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(2)
        // The viewer's files are read by the API itself; Vert.x need not cache class-path files on disk.
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    long timeoutMillis = config.requestTimeout().toMillis();
    XRayApi api = new XRayApi(vertx, store, sampling, forwarding.documents, forwarding.rules, forwarding.targets,
        config.logsUrl(), new AccessPolicy(hosts, token, XRayApi.SDK_PATHS), timeoutMillis);
    Router router = api.router();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(httpAddress.getAddress().getHostAddress())
        .setPort(httpAddress.getPort())
        // Silence for this long closes a connection; a slow trickle is cut by RequestDeadlines.
        .setIdleTimeout((int) Math.max(1, timeoutMillis * 4))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(8 * 1024)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        // As the JDK server did: curl asks before a large body, and waits a second without an answer.
        .setHandle100ContinueAutomatically(true)
        .setHttp2ClearTextEnabled(true)
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(MAX_HEADER_BYTES).setMaxConcurrentStreams(100));
    HttpServer http = vertx.createHttpServer(options).connectionHandler(api::connected).requestHandler(router);
    try {
      http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      api.close();
      vertx.close();
      udp.close();
      forwarding.close();
      store.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new BindException("cannot listen on TCP " + config.http() + ": " + cause.getMessage()
          + " (choose another with --http)");
    }
    Daemon daemon = new Daemon(store, udp, vertx, api, router, http, httpAddress, token, forwarding);
    InetSocketAddress otlpHttp = config.bindAddressOrOff(config.otlpHttp(), "--otlp-http");
    InetSocketAddress otlpGrpc = config.bindAddressOrOff(config.otlpGrpc(), "--otlp-grpc");
    if (otlpHttp != null || otlpGrpc != null) {
      try {
        // On the daemon's own event loops: one Vert.x for every port.
        daemon.otlp = dev.radiograph.daemon.otlp.OtlpReceiver.start(vertx, otlpHttp, otlpGrpc, store, forwarding.documents);
      } catch (IOException | RuntimeException e) {
        daemon.close();
        throw e;
      }
    }
    return daemon;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The memory store by default; with a data directory, the SQLite store kept there. */
  private static TraceStore openStore(DaemonConfig config) throws IOException {
    if (config.dataDirectory() == null) {
      return new MemoryTraceStore(config.maxTraces(), config.maxBytes(), config.maxTraceDocuments());
    }
    return SqliteTraceStore.open(config.dataDirectory(), config.maxTraces(), config.maxBytes(),
        config.maxTraceDocuments(), config.retention());
  }

  /** The UDP port documents are received on. */
  public int udpPort() {
    return udp.address().getPort();
  }

  /** The TCP port of the API and viewer. */
  public int httpPort() {
    return http.actualPort();
  }

  /** The viewer's and API's base URL, {@code http://127.0.0.1:port}. */
  public String baseUrl() {
    return "http://" + HostAndPort.of(httpAddress.getAddress().getHostAddress(), httpPort());
  }

  /** The token the viewer and query API need ({@code --token}, or made up for {@code --allow-remote}), or null. */
  public String token() {
    return token;
  }

  /** The Vert.x instance that runs the HTTP server, for more servers on the same event loops. */
  public Vertx vertx() {
    return vertx;
  }

  /** The router of the API port, where more HTTP handlers (OTLP/HTTP) mount behind the same access checks. */
  public Router router() {
    return router;
  }

  /** The OTLP/HTTP port, or -1 when it is off. */
  public int otlpHttpPort() {
    return otlp == null ? -1 : otlp.httpPort();
  }

  /** The OTLP/gRPC port, or -1 when it is off. */
  public int otlpGrpcPort() {
    return otlp == null ? -1 : otlp.grpcPort();
  }

  /** The store, for embedding and tests. */
  public TraceStore store() {
    return store;
  }

  /** Waits until {@code count} documents in all have been stored, or the timeout passes. */
  public boolean awaitDocuments(int count, Duration timeout) throws InterruptedException {
    return store.awaitAccepted(count, timeout);
  }

  @Override
  public void close() {
    if (otlp != null) {
      otlp.close();
    }
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      api.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Stopping goes on: ingest and the store are closed below whatever the server did.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    udp.close();
    try {
      forwarder.close();
    } catch (Exception e) {
      // Closing the forwarder flushes what it can; there is nobody left to tell.
    }
    store.close(); // last: ingest and the API have stopped writing to it
  }

  /** What the daemon hands to AWS when forwarding; nothing otherwise. */
  static final class Forwarding implements AutoCloseable {
    static final Forwarding NONE = new Forwarding(null, null, null, () -> { });

    final Consumer<DocumentSummary> documents;
    final java.util.function.UnaryOperator<byte[]> rules;
    final java.util.function.UnaryOperator<byte[]> targets;
    private final AutoCloseable closer;

    Forwarding(Consumer<DocumentSummary> documents, java.util.function.UnaryOperator<byte[]> rules,
        java.util.function.UnaryOperator<byte[]> targets, AutoCloseable closer) {
      this.documents = documents;
      this.rules = rules;
      this.targets = targets;
      this.closer = closer;
    }

    static Forwarding toAws(DaemonConfig config) {
      dev.radiograph.daemon.forward.AwsForwarder forwarder =
          dev.radiograph.daemon.forward.AwsForwarder.create(config.region(), config.endpoint());
      java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
      return new Forwarding(
          document -> forwarder.offer(document.text()),
          body -> forwarder.proxyGetSamplingRules(new String(body, utf8)).getBytes(utf8),
          body -> forwarder.proxySamplingTargets(new String(body, utf8)).getBytes(utf8),
          forwarder);
    }

    /** {@code --forward otlp}: documents only; sampling stays local. */
    static Forwarding toOtlp(DaemonConfig config) {
      if (config.endpoint() == null) {
        throw new IllegalArgumentException("--forward otlp needs --endpoint URL (an OTLP traces URL such as"
            + " http://collector:4318/v1/traces)");
      }
      dev.radiograph.daemon.otlp.OtlpForwarder forwarder =
          dev.radiograph.daemon.otlp.OtlpForwarder.create(config.endpoint(), config.headers());
      return new Forwarding(document -> forwarder.offer(document.text()), null, null, forwarder);
    }

    @Override
    public void close() {
      try {
        closer.close();
      } catch (Exception e) {
        // See Daemon.close().
      }
    }
  }
}

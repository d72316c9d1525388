package dev.radiograph.daemon;

import com.sun.net.httpserver.HttpServer;
import dev.radiograph.daemon.api.XRayApi;
import dev.radiograph.daemon.ingest.UdpReceiver;
import dev.radiograph.daemon.sampling.SamplingProxy;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.MemoryTraceStore;
import dev.radiograph.daemon.store.SqliteTraceStore;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.net.HostAndPort;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 */
public final class Daemon implements AutoCloseable {
  private final TraceStore store;
  private final UdpReceiver udp;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final AutoCloseable forwarder;

  private Daemon(TraceStore store, UdpReceiver udp, HttpServer http, ExecutorService httpThreads,
      AutoCloseable forwarder) {
    this.store = store;
    this.udp = udp;
    this.http = http;
    this.httpThreads = httpThreads;
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
      forwarding = config.forwardToAws() ? Forwarding.toAws(config) : Forwarding.NONE;
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
    HttpServer http;
    try {
      http = HttpServer.create(httpAddress, 64);
    } catch (BindException e) {
      udp.close();
      forwarding.close();
      store.close();
      throw new BindException("cannot listen on TCP " + config.http() + ": " + e.getMessage()
          + " (choose another with --http)");
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "radiograph-daemon-http-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.createContext("/", new XRayApi(store, sampling, forwarding.documents, forwarding.rules, forwarding.targets,
        config.logsUrl()));
    http.setExecutor(threads);
    http.start();
    return new Daemon(store, udp, http, threads, forwarding);
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
    return http.getAddress().getPort();
  }

  /** The viewer's and API's base URL, {@code http://127.0.0.1:port}. */
  public String baseUrl() {
    InetSocketAddress address = http.getAddress();
    return "http://" + HostAndPort.of(address.getAddress().getHostAddress(), address.getPort());
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
    http.stop(0);
    httpThreads.shutdownNow();
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

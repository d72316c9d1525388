package dev.radiograph.emit;

import dev.radiograph.internal.DaemonAddress;
import java.time.Duration;

/**
 * Sends finished documents to the daemon. {@link #send} is called on the request path: it must
 * not block and must not throw; when it cannot keep up it drops and counts.
 */
public interface Emitter extends AutoCloseable {
  /**
   * The largest document, in bytes of UTF-8 JSON without the datagram header line, that fits one
   * UDP datagram with its header: 65,507 bytes (the IPv4 UDP payload limit, below X-Ray's 64 KB
   * document limit) less the 33-byte header.
   */
  int MAX_DOCUMENT_BYTES = 65_507 - 33; // a constant: UdpEmitter checks that its header is 33 bytes

  /**
   * Queues one segment or subsegment document (UTF-8 JSON) for sending. Returns false when it
   * was dropped (queue full, emitter closed). Never blocks, never throws.
   */
  boolean send(byte[] document);

  /**
   * Queues documents that are serialized by whoever sends them: the UDP emitter does it on its
   * sender thread, so the request thread only hands over the finished entity. By default they
   * are serialized here, on the calling thread. Never blocks, never throws.
   */
  default boolean send(DocumentSource source) {
    try {
      source.writeTo(this::send);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Documents still to be serialized: {@code writeTo} hands each finished document to {@code out}. */
  @FunctionalInterface
  interface DocumentSource {
    void writeTo(java.util.function.Consumer<byte[]> out);
  }

  /** An emitter that sends nothing (what a disabled SDK uses). */
  static Emitter discarding() {
    return DiscardingEmitter.INSTANCE;
  }

  /**
   * The UDP emitter for {@code daemonAddress} ({@code host:port} or {@code tcp:host:port
   * udp:host:port}): a bounded queue and one sender thread that serializes and sends, off the
   * request path.
   *
   * @throws IllegalArgumentException when the address is not valid
   */
  static Emitter udp(String daemonAddress) {
    return new UdpEmitter(DaemonAddress.parse(daemonAddress));
  }

  /**
   * {@link #udp(String)} with other bounds on what waits to be sent: beyond either, documents are
   * dropped and counted.
   */
  static Emitter udp(String daemonAddress, int maxQueuedDocuments, long maxQueuedBytes) {
    return new UdpEmitter(DaemonAddress.parse(daemonAddress), maxQueuedDocuments, maxQueuedBytes);
  }

  /**
   * The OTLP emitter: documents become OpenTelemetry spans (docs/otlp-mapping.md) sent as
   * OTLP/HTTP protobuf to {@code tracesEndpoint} (the full URL, {@code .../v1/traces}) with
   * {@code headers}, in batches, from one background thread; bounded and counted like
   * {@link #udp(String)}.
   *
   * @param serviceName the {@code service.name} of subsegments sent on their own (segments are
   *     their own service), or null
   * @throws IllegalArgumentException when the endpoint is not an http or https URL
   */
  static Emitter otlp(java.net.URI tracesEndpoint, java.util.Map<String, String> headers, String serviceName) {
    return new OtlpEmitter(tracesEndpoint, headers, serviceName, 8_192, 32L * 1024 * 1024, 512, 1024 * 1024,
        Duration.ofSeconds(1));
  }

  /** What was sent, dropped and failed so far. */
  EmitterStats stats();

  /** Waits up to {@code timeout} until everything queued before this call was sent. */
  boolean flush(Duration timeout);

  /** Sends what is queued (for a short bounded time) and releases the socket. */
  @Override
  void close();
}

package dev.radiograph.daemon.otlp;

import dev.radiograph.emit.Emitter;
import dev.radiograph.emit.EmitterStats;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --forward otlp}: every document the daemon accepts (from UDP, the API or OTLP) is sent
 * as OTLP spans to an OTLP receiver (an OpenTelemetry Collector, Jaeger, Grafana Tempo, the
 * CloudWatch agent) while the local store keeps working.
 *
 * <p>RATIONALE: it is the SDK's own OTLP exporter ({@link Emitter#otlp}), so the daemon forwards
 * exactly what an application exporting OTLP itself would send, with the same bounds: a queue
 * bounded by count and bytes (drops counted), batches by count, bytes and time, posted from one
 * background thread, retried with a growing pause after 429, 502, 503, 504 or a failed
 * connection. Spans that arrived over OTLP are forwarded as the documents they became, so what
 * the mapping covers (docs/otlp-mapping.md) passes through.
 */
public final class OtlpForwarder implements AutoCloseable {
  private final Emitter emitter;
  private final URI endpoint;

  private OtlpForwarder(Emitter emitter, URI endpoint) {
    this.emitter = emitter;
    this.endpoint = endpoint;
  }

  /**
   * A forwarder posting to {@code endpoint} (the full traces URL, {@code .../v1/traces}).
   *
   * @throws IllegalArgumentException when the endpoint is not an http or https URL
   */
  public static OtlpForwarder create(URI endpoint, Map<String, String> headers) {
    Objects.requireNonNull(endpoint, "endpoint");
    return new OtlpForwarder(Emitter.otlp(endpoint, headers, null), endpoint);
  }

  /** Queues one document (X-Ray JSON text); false when it was dropped. Never blocks. */
  public boolean offer(String document) {
    return emitter.send(document.getBytes(StandardCharsets.UTF_8));
  }

  /** Documents forwarded, dropped and failed so far. */
  public EmitterStats stats() {
    return emitter.stats();
  }

  /** Waits up to {@code timeout} until everything offered so far was sent. */
  public boolean flush(Duration timeout) {
    return emitter.flush(timeout);
  }

  /** Where it forwards. */
  public URI endpoint() {
    return endpoint;
  }

  /** Sends what is queued (for a short bounded time) and stops. */
  @Override
  public void close() {
    emitter.close();
  }
}

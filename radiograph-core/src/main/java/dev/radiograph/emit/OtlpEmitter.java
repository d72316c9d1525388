package dev.radiograph.emit;

import dev.radiograph.internal.RateLimitedLogger;
import dev.radiograph.otlp.wire.OtlpTraceEncoder;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sends documents as OTLP/HTTP protobuf ({@code POST} to an OTLP traces endpoint such as
 * {@code http://127.0.0.1:4318/v1/traces}) from one background thread: the same bounded queue,
 * sender thread and drop counting as the UDP emitter ({@link QueuedEmitter}); only the transport
 * differs. Each document becomes spans as docs/otlp-mapping.md says ({@link OtlpTraceEncoder}).
 *
 * <p>RATIONALE (batching): spans are sent in batches of at most {@code maxBatchSpans} spans or
 * about {@code maxBatchBytes} bytes, and a batch never waits longer than {@code maxBatchDelay}:
 * one HTTP request per many requests of the application, which is what makes OTLP affordable on
 * the sender thread. While a batch is being posted the queue keeps filling (bounded); a receiver
 * that answers 429, 502, 503 or 504 or cannot be reached is retried {@value #ATTEMPTS} times with
 * a growing pause, then the batch is counted as failed.
 */
final class OtlpEmitter implements Emitter {
  private static final Logger LOG = System.getLogger(OtlpEmitter.class.getName());
  private static final int ATTEMPTS = 3;
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final QueuedEmitter queue;

  /**
   * An emitter posting to {@code endpoint} with {@code headers} (authentication, tenants).
   *
   * @param serviceName the service of subsegment documents sent on their own (they do not name it)
   */
  OtlpEmitter(URI endpoint, Map<String, String> headers, String serviceName,
      int maxQueuedDocuments, long maxQueuedBytes, int maxBatchSpans, int maxBatchBytes, Duration maxBatchDelay) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("an OTLP endpoint is an http or https URL: " + endpoint);
    }
    if (maxBatchSpans < 1 || maxBatchBytes < 1 || maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
      throw new IllegalArgumentException("batch bounds must be positive");
    }
    Map<String, String> copied = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
    this.queue = new QueuedEmitter(
        counters -> new Poster(counters, copied, new OtlpTraceEncoder(serviceName),
            maxBatchSpans, maxBatchBytes, maxBatchDelay.toNanos()),
        maxQueuedDocuments, maxQueuedBytes,
        "Radiograph: send queue full, dropping trace documents (OTLP endpoint " + endpoint + " not keeping up)",
        "radiograph-otlp-emitter");
  }

  @Override
  public boolean send(byte[] document) {
    return queue.send(document);
  }

  @Override
  public boolean send(DocumentSource source) {
    return queue.send(source);
  }

  @Override
  public EmitterStats stats() {
    return queue.stats();
  }

  @Override
  public boolean flush(Duration timeout) {
    return queue.flush(timeout);
  }

  @Override
  public void close() {
    queue.close();
  }

  @Override
  public String toString() {
    return "OtlpEmitter{" + endpoint + "}";
  }

  /** The sender thread's batch and HTTP client. */
  private final class Poster implements QueuedEmitter.Transport {
    private final QueuedEmitter.Counters counters;
    private final Map<String, String> headers;
    private final OtlpTraceEncoder batch;
    private final int maxBatchSpans;
    private final int maxBatchBytes;
    private final long maxBatchDelayNanos;
    private final HttpClient client;
    private final RateLimitedLogger failureLog = new RateLimitedLogger(LOG, 60_000);
    private int documents;
    private long batchStartedAt;

    Poster(QueuedEmitter.Counters counters, Map<String, String> headers, OtlpTraceEncoder batch,
        int maxBatchSpans, int maxBatchBytes, long maxBatchDelayNanos) {
      this.counters = counters;
      this.headers = headers;
      this.batch = batch;
      this.maxBatchSpans = maxBatchSpans;
      this.maxBatchBytes = maxBatchBytes;
      this.maxBatchDelayNanos = maxBatchDelayNanos;
      this.client = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build();
    }

    @Override
    public void accept(byte[] document) {
      try {
        batch.add(document);
      } catch (RuntimeException e) {
        counters.failed.incrementAndGet();
        failureLog.log(Level.WARNING, "Radiograph: could not convert a document to OTLP: " + e.getMessage());
        return;
      }
      if (documents++ == 0) {
        batchStartedAt = System.nanoTime();
      }
      if (batch.spanCount() >= maxBatchSpans || batch.encodedBytes() >= maxBatchBytes) {
        post();
      }
    }

    @Override
    public boolean idle(boolean flushing) {
      if (documents > 0 && (flushing || System.nanoTime() - batchStartedAt >= maxBatchDelayNanos)) {
        post();
      }
      return documents == 0;
    }

    private void post() {
      byte[] body = batch.encode();
      int count = documents;
      batch.clear();
      documents = 0;
      HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(request::header);
      HttpRequest built = request.build();
      String problem = null;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          HttpResponse<Void> response = client.send(built, HttpResponse.BodyHandlers.discarding());
          int status = response.statusCode();
          if (status / 100 == 2) {
            counters.sent.addAndGet(count);
            counters.bytesSent.addAndGet(body.length);
            return;
          }
          problem = "HTTP " + status;
          if (status != 429 && status != 502 && status != 503 && status != 504) {
            break; // the receiver refuses this batch: sending it again changes nothing
          }
        } catch (IOException e) {
          problem = e.toString();
        } catch (InterruptedException e) {
          problem = "interrupted"; // close() does not interrupt; clear it and carry on
          Thread.interrupted();
        } catch (RuntimeException e) {
          problem = e.toString();
          break;
        }
        if (attempt < ATTEMPTS) {
          pause(FIRST_BACKOFF_MILLIS << (2 * (attempt - 1)));
        }
      }
      counters.failed.addAndGet(count);
      failureLog.log(Level.WARNING, "Radiograph: could not send " + count + " trace documents to " + endpoint
          + " (" + problem + "); they are dropped");
    }

    private void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.interrupted();
      }
    }

    @Override
    public void close() {
      idle(true);
    }
  }
}

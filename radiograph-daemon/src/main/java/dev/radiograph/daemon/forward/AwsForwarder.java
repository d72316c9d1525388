package dev.radiograph.daemon.forward;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.log.RateLimitedLogger;
import dev.radiograph.sampling.wire.SamplingApi;
import dev.radiograph.sampling.wire.SamplingApiCodec;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.XRayClientBuilder;
import software.amazon.awssdk.services.xray.model.GetSamplingRulesResponse;
import software.amazon.awssdk.services.xray.model.GetSamplingTargetsResponse;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsRequest;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsResponse;
import software.amazon.awssdk.services.xray.model.UnprocessedTraceSegment;

/**
 * Sends the segment documents the daemon receives on to AWS X-Ray ({@code --forward aws}), and
 * proxies the sampling API to it.
 *
 * <p>{@link #offer} is called on the UDP receive thread: it never blocks, never throws and takes
 * no lock; the buffer is bounded ({@link Limits#capacity()}) and a document that does not fit is
 * dropped and counted. One background thread takes documents in batches of at most {@value
 * #MAX_BATCH_DOCUMENTS} ({@code PutTraceSegments}' limit) and at most {@value #MAX_BATCH_CHARS}
 * characters of documents, sends a batch when it is full or when its first document has waited
 * {@link Limits#linger()}, and retries as follows:
 *
 * <ul>
 *   <li>Throttling ({@code ThrottledException}, HTTP 429), a 5xx answer, a clock skew error, or no
 *       answer (I/O error, timeout): the same batch again after an exponential backoff with
 *       jitter (from {@link Limits#initialBackoff()}, doubling, at most {@link
 *       Limits#maxBackoff()}; each wait is half that plus a random part of up to the other half),
 *       for at most {@link Limits#maxAttempts()} attempts in all; then the batch is dropped and
 *       counted as failed.
 *       The batch holds the sender, so a throttled sender slows down as a whole and the buffer,
 *       not memory, absorbs the backlog.
 *   <li>Any other error (a 4xx such as {@code InvalidRequestException} or bad credentials): the
 *       batch is dropped at once and counted as failed; sending it again would fail again.
 *   <li>{@code UnprocessedTraceSegments}: each entry's {@code Id} is matched to the documents of
 *       the batch with that {@code id}; those go into the next batch once more, and are failed if
 *       AWS refuses them again. An entry that matches no document counts one failure.
 * </ul>
 *
 * <p>The SDK's own retries are switched off for {@code PutTraceSegments} (a request-level plugin
 * sets the do-not-retry strategy, whatever the client was built with), so that this backoff is
 * the only one: SDK retries inside each of our attempts would multiply the attempts and hide the
 * throttling from the backoff. The sampling proxy keeps the client's retry settings.
 *
 * <p>Every document that was {@linkplain Stats#accepted() accepted} ends as {@linkplain
 * Stats#sent() sent} or {@linkplain Stats#failed() failed}: after {@link #close()}, {@code
 * accepted == sent + failed} (the daemon stops its UDP thread first: an {@link #offer} that races
 * with {@link #close()} can be accepted and then neither sent nor counted as failed).
 */
public final class AwsForwarder implements AutoCloseable {
  /** Most documents in one {@code PutTraceSegments} call (X-Ray's limit). */
  public static final int MAX_BATCH_DOCUMENTS = 50;

  /**
   * Most characters of documents in one call. X-Ray caps a document at 64 KB; this keeps a
   * request, with its JSON string escaping, around 1 MB at most, so that 50 large documents are
   * split over several calls.
   */
  public static final int MAX_BATCH_CHARS = 512 * 1024;

  /** Documents longer than this are not valid X-Ray documents (64 KB); they are failed, not sent. */
  static final int MAX_DOCUMENT_CHARS = 64 * 1024;

  private static final System.Logger LOGGER = System.getLogger(AwsForwarder.class.getName());
  private static final long LOG_INTERVAL_MILLIS = 30_000;

  /** Turns off the SDK's retries for one request; see the class comment. */
  private static final AwsRequestOverrideConfiguration NO_SDK_RETRIES = AwsRequestOverrideConfiguration.builder()
      .addPlugin(config -> config.overrideConfiguration(
          config.overrideConfiguration().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build()))
      .build();

  /**
   * The forwarder's limits. {@link #DEFAULT}: 10,000 documents buffered, 6 attempts per batch,
   * backoff 100 ms doubling to 5 s, a batch waits at most 1 s to fill up, and {@link #close()}
   * flushes for at most 5 s.
   */
  public record Limits(
      int capacity,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration linger,
      Duration closeTimeout) {
    public static final Limits DEFAULT = new Limits(10_000, 6, Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofSeconds(1), Duration.ofSeconds(5));

    public Limits {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
      }
      requireNonNegative(initialBackoff, "initialBackoff");
      requireNonNegative(maxBackoff, "maxBackoff");
      requireNonNegative(linger, "linger");
      requireNonNegative(closeTimeout, "closeTimeout");
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is less than initialBackoff " + initialBackoff);
      }
    }

    public Limits withCapacity(int capacity) {
      return new Limits(capacity, maxAttempts, initialBackoff, maxBackoff, linger, closeTimeout);
    }

    public Limits withRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      return new Limits(capacity, maxAttempts, initialBackoff, maxBackoff, linger, closeTimeout);
    }

    public Limits withLinger(Duration linger) {
      return new Limits(capacity, maxAttempts, initialBackoff, maxBackoff, linger, closeTimeout);
    }

    public Limits withCloseTimeout(Duration closeTimeout) {
      return new Limits(capacity, maxAttempts, initialBackoff, maxBackoff, linger, closeTimeout);
    }

    private static void requireNonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + d);
      }
    }
  }

  /**
   * Counters since start. {@code accepted}: documents taken into the buffer; {@code sent}:
   * documents AWS accepted; {@code droppedFull}: documents refused because the buffer was full;
   * {@code failed}: accepted documents given up on (rejected, retries exhausted, unprocessed
   * twice, too large, or still buffered when {@link #close()} ran out of time); {@code retries}:
   * calls repeated after a retryable error; {@code batches}: {@code PutTraceSegments} calls AWS
   * answered with success.
   */
  public record Stats(long accepted, long sent, long droppedFull, long failed, long retries, long batches) {}

  private final XRayClient client;
  private final AutoCloseable credentials; // made by create(); the SDK does not close what it is given
  private final Limits limits;
  private final long lingerNanos;

  // The buffer: lock-free, bounded by `buffered` (a document is counted before it is queued).
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();

  private final LongAdder accepted = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder droppedFull = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder batches = new LongAdder();

  private final RateLimitedLogger sendLog = new RateLimitedLogger(LOGGER, LOG_INTERVAL_MILLIS);
  private final RateLimitedLogger dropLog = new RateLimitedLogger(LOGGER, LOG_INTERVAL_MILLIS);

  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;
  private volatile long closeDeadline; // System.nanoTime(); written before `closing`
  private final Thread sender;

  // Sender thread only: the batch being filled, and documents to send once more.
  private final List<String> batch = new ArrayList<>(MAX_BATCH_DOCUMENTS);
  private int batchChars;
  private int secondChanceInBatch; // the batch's first documents, already on their second try
  private long batchStartedAt;
  private final ArrayDeque<String> secondChance = new ArrayDeque<>();
  private long droppedLogged;

  /** A forwarder with the {@linkplain Limits#DEFAULT default limits}; it closes {@code client}. */
  public AwsForwarder(XRayClient client) {
    this(client, Limits.DEFAULT);
  }

  /** A forwarder that sends with {@code client}, and closes it in {@link #close()}. */
  public AwsForwarder(XRayClient client, Limits limits) {
    this(client, limits, null);
  }

  private AwsForwarder(XRayClient client, Limits limits, AutoCloseable credentials) {
    this.client = Objects.requireNonNull(client, "client");
    this.credentials = credentials;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.lingerNanos = Math.max(1, limits.linger().toNanos());
    this.sender = new Thread(this::run, "radiograph-forward-aws");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * A forwarder for the CLI: credentials from the default chain (environment, system properties,
   * profile files, SSO, container and instance roles), the region given or else from the default
   * region chain, and the endpoint given or else X-Ray's for the region.
   *
   * @param region an AWS region such as {@code us-east-1}, or null for the default chain
   * @param endpoint the X-Ray endpoint, or null for the region's
   * @throws IllegalStateException if no region is given and none is configured
   */
  public static AwsForwarder create(String region, URI endpoint) {
    DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    XRayClientBuilder builder = XRayClient.builder()
        .credentialsProvider(credentials)
        .overrideConfiguration(c -> c
            // Used by the sampling proxy only: PutTraceSegments turns the SDK's retries off.
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
            .apiCallAttemptTimeout(Duration.ofSeconds(5))
            .apiCallTimeout(Duration.ofSeconds(10)));
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    XRayClient client;
    try {
      client = builder.build();
    } catch (SdkClientException e) {
      credentials.close();
      throw new IllegalStateException("cannot set up the AWS X-Ray client (" + e.getMessage()
          + "); give a region, or set AWS_REGION or a region in the AWS profile", e);
    }
    return new AwsForwarder(client, Limits.DEFAULT, credentials);
  }

  /**
   * Takes a segment document to send to AWS. Never blocks and never throws: false if the buffer
   * is full (the document is dropped and counted), the document is null, or the forwarder is
   * closed (not counted).
   */
  public boolean offer(String document) {
    try {
      if (document == null || closing) {
        return false;
      }
      int n = buffered.incrementAndGet();
      if (n > limits.capacity()) {
        buffered.decrementAndGet();
        droppedFull.increment();
        return false;
      }
      queue.offer(document);
      accepted.increment();
      if (n == 1 || n % MAX_BATCH_DOCUMENTS == 0) {
        LockSupport.unpark(sender); // the first document starts a batch; a full batch can go now
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public Stats stats() {
    return new Stats(accepted.sum(), sent.sum(), droppedFull.sum(), failed.sum(), retries.sum(), batches.sum());
  }

  /** Proxies {@code POST /GetSamplingRules}: X-Ray API JSON in, AWS's answer as X-Ray API JSON out. */
  public String proxyGetSamplingRules(String requestJson) {
    try {
      SamplingApi.GetSamplingRulesRequest request = SamplingApiCodec.readGetSamplingRulesRequest(utf8(requestJson));
      GetSamplingRulesResponse answer = client.getSamplingRules(AwsSamplingModel.toAws(request));
      return text(SamplingApiCodec.write(AwsSamplingModel.fromAws(answer)));
    } catch (RuntimeException e) {
      throw proxyError("GetSamplingRules", e);
    }
  }

  /** Proxies {@code POST /SamplingTargets} (GetSamplingTargets), like {@link #proxyGetSamplingRules}. */
  public String proxySamplingTargets(String requestJson) {
    try {
      SamplingApi.GetSamplingTargetsRequest request = SamplingApiCodec.readGetSamplingTargetsRequest(utf8(requestJson));
      GetSamplingTargetsResponse answer = client.getSamplingTargets(AwsSamplingModel.toAws(request));
      return text(SamplingApiCodec.write(AwsSamplingModel.fromAws(answer)));
    } catch (RuntimeException e) {
      throw proxyError("GetSamplingTargets", e);
    }
  }

  private static byte[] utf8(String json) {
    return json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  private SamplingProxyException proxyError(String operation, RuntimeException e) {
    if (e instanceof SamplingProxyException) {
      return (SamplingProxyException) e;
    } else if (e instanceof IllegalArgumentException) { // the request body, from the codec
      return new SamplingProxyException(400, "InvalidRequestException", e.getMessage(), e);
    } else if (e instanceof AwsServiceException) {
      AwsServiceException aws = (AwsServiceException) e;
      String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
      String message = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
      int status = aws.statusCode() >= 400 ? aws.statusCode() : 500;
      sendLog.log(Level.WARNING, "AWS X-Ray answered " + operation + " with " + status + " " + code);
      return new SamplingProxyException(status, code == null ? "InternalFailure" : code,
          message == null ? operation + " failed in AWS X-Ray" : message, e);
    } else if (e instanceof SdkClientException) {
      sendLog.log(Level.WARNING, "cannot reach AWS X-Ray for " + operation, e);
      return new SamplingProxyException(503, "ServiceUnavailable", "cannot reach AWS X-Ray: " + e.getMessage(), e);
    }
    sendLog.log(Level.WARNING, operation + " proxy failed", e);
    return new SamplingProxyException(500, "InternalFailure", operation + " failed: " + e, e);
  }

  /**
   * Sends what is buffered, for at most {@link Limits#closeTimeout()}, then stops the sender and
   * closes the client. What could not be sent in that time is counted as failed. Offers made
   * while closing are refused.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long timeoutNanos = limits.closeTimeout().toNanos();
    closeDeadline = System.nanoTime() + timeoutNanos;
    closing = true;
    LockSupport.unpark(sender);
    boolean interrupted = false;
    try {
      // The deadline bounds the sender's flushing; the grace covers a call in flight.
      sender.join(Math.max(1, timeoutNanos / 1_000_000) + 2_000);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (sender.isAlive()) {
      sender.interrupt(); // aborts the SDK call in flight
      try {
        sender.join(2_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      client.close();
      if (credentials != null) {
        credentials.close();
      }
    } catch (Exception e) {
      LOGGER.log(Level.DEBUG, "closing the AWS X-Ray client failed: " + e);
    }
    if (!sender.isAlive()) {
      failRemaining(); // an offer racing with close() may have queued after the sender's last look
    }
    Stats s = stats();
    if (s.failed() > 0 || s.droppedFull() > 0) {
      LOGGER.log(Level.INFO, "AWS forwarding stopped: " + s);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // --- the sender thread ----------------------------------------------------------------------

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        boolean closingNow = closing;
        if (closingNow && System.nanoTime() - closeDeadline >= 0) {
          break;
        }
        try {
          logDrops();
          boolean wasEmpty = batch.isEmpty();
          boolean full = fill();
          if (batch.isEmpty()) {
            if (closingNow) {
              break; // everything is flushed
            }
            LockSupport.parkNanos(this, lingerNanos); // offer() unparks on the first document
            continue;
          }
          if (wasEmpty) {
            batchStartedAt = System.nanoTime();
          }
          if (!full && !closingNow) {
            long wait = lingerNanos - (System.nanoTime() - batchStartedAt);
            if (wait > 0) {
              LockSupport.parkNanos(this, wait);
              continue;
            }
          }
          send();
        } catch (RuntimeException e) { // a bug: lose this batch, not the sender
          failed.add(batch.size());
          sendLog.log(Level.ERROR, "the AWS X-Ray sender failed on a batch of " + batch.size() + " documents", e);
          LockSupport.parkNanos(this, lingerNanos);
        }
        batch.clear();
        batchChars = 0;
        secondChanceInBatch = 0;
      }
    } finally {
      failed.add(batch.size());
      batch.clear();
      failRemaining();
    }
  }

  /**
   * Moves documents into the batch, up to the count and size limits: first the second-chance
   * documents (they come only from the previous batch, so they are always the batch's first),
   * then buffered ones. Returns whether the batch is full (by count, or the next document does
   * not fit).
   */
  private boolean fill() {
    while (!secondChance.isEmpty()) {
      if (batch.size() == MAX_BATCH_DOCUMENTS || !fits(secondChance.peekFirst())) {
        return true;
      }
      String d = secondChance.pollFirst();
      batch.add(d);
      batchChars += d.length();
      secondChanceInBatch++;
    }
    while (batch.size() < MAX_BATCH_DOCUMENTS) {
      String d = queue.peek();
      if (d == null) {
        return false;
      }
      if (d.length() > MAX_DOCUMENT_CHARS) {
        take();
        failed.increment();
        sendLog.log(Level.WARNING, "dropped a segment document of " + d.length()
            + " characters: AWS X-Ray accepts documents of up to 64 KB");
        continue;
      }
      if (!fits(d)) {
        return true;
      }
      take();
      batch.add(d);
      batchChars += d.length();
    }
    return true;
  }

  private void take() {
    queue.poll();
    buffered.decrementAndGet();
  }

  private boolean fits(String document) {
    return batch.isEmpty() || batchChars + document.length() <= MAX_BATCH_CHARS;
  }

  /** Sends the batch, with the retries the class comment describes. */
  private void send() {
    PutTraceSegmentsRequest request = PutTraceSegmentsRequest.builder()
        .traceSegmentDocuments(batch)
        .overrideConfiguration(NO_SDK_RETRIES)
        .build();
    for (int attempt = 1; ; attempt++) {
      PutTraceSegmentsResponse response;
      try {
        response = client.putTraceSegments(request);
      } catch (SdkException e) {
        if (!isRetryable(e)) {
          failed.add(batch.size());
          sendLog.log(Level.WARNING, "AWS X-Ray refused a batch of " + batch.size() + " documents"
              + describe(e) + "; dropped it", e);
          return;
        }
        if (attempt >= limits.maxAttempts()) {
          failed.add(batch.size());
          sendLog.log(Level.WARNING, "gave up on a batch of " + batch.size() + " documents after "
              + attempt + " attempts" + describe(e), e);
          return;
        }
        if (!backOff(attempt)) {
          failed.add(batch.size());
          sendLog.log(Level.WARNING, "dropped a batch of " + batch.size()
              + " documents: closing before it could be sent" + describe(e));
          return;
        }
        retries.increment();
        continue;
      } catch (RuntimeException e) {
        failed.add(batch.size());
        sendLog.log(Level.WARNING, "sending a batch of " + batch.size() + " documents failed", e);
        return;
      }
      batches.increment();
      handleUnprocessed(response);
      return;
    }
  }

  private static boolean isRetryable(SdkException e) {
    if (e instanceof SdkServiceException) {
      SdkServiceException service = (SdkServiceException) e;
      // A clock skew error is worth another try: the SDK corrects its clock offset from the answer.
      return service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500
          || service.isClockSkewException();
    }
    // No answer: connection refused or reset, timeouts. Not when our own thread was interrupted.
    return e instanceof SdkClientException && !(e instanceof AbortedException)
        && !Thread.currentThread().isInterrupted();
  }

  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
      AwsServiceException aws = (AwsServiceException) e;
      return " (" + aws.statusCode() + " " + aws.awsErrorDetails().errorCode() + ")";
    }
    return "";
  }

  /**
   * Waits before retry number {@code attempt}: half of min(max, initial * 2^(attempt-1)) plus a
   * random part of up to the other half. False, without waiting it out, if closing and the wait
   * would end after the close deadline, or if interrupted.
   */
  private boolean backOff(int attempt) {
    long initial = limits.initialBackoff().toNanos();
    long max = limits.maxBackoff().toNanos();
    long ceiling = initial;
    for (int i = 1; i < attempt && ceiling < max; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, max);
    long half = ceiling / 2;
    long delay = half + (half > 0 ? ThreadLocalRandom.current().nextLong(ceiling - half + 1) : ceiling);
    long wakeAt = System.nanoTime() + delay;
    while (true) {
      if (Thread.currentThread().isInterrupted() || (closing && wakeAt - closeDeadline > 0)) {
        return false;
      }
      long left = wakeAt - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(this, left); // close() unparks: the deadline is checked again
    }
  }

  private void handleUnprocessed(PutTraceSegmentsResponse response) {
    List<UnprocessedTraceSegment> unprocessed = response.unprocessedTraceSegments();
    if (unprocessed.isEmpty()) {
      sent.add(batch.size());
      return;
    }
    // Rare: only now read each document's id, to map the answer's ids back to documents.
    Map<String, List<Integer>> byId = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      String id = documentId(batch.get(i));
      if (id != null) {
        byId.computeIfAbsent(id, k -> new ArrayList<>(1)).add(i);
      }
    }
    Set<String> handled = new HashSet<>();
    int refusedCount = 0;
    int unmatched = 0;
    int again = 0;
    String example = null;
    for (UnprocessedTraceSegment u : unprocessed) {
      List<Integer> indexes = u.id() == null ? null : byId.get(u.id());
      if (indexes == null) {
        unmatched++;
      } else if (handled.add(u.id())) { // an id listed twice is handled once
        for (int i : indexes) {
          refusedCount++;
          if (i < secondChanceInBatch) {
            failed.increment();
          } else {
            secondChance.addLast(batch.get(i));
            again++;
          }
        }
      }
      if (example == null) {
        example = u.id() + ": " + u.errorCode() + " " + u.message();
      }
    }
    int unmatchedFailures = Math.min(unmatched, batch.size() - refusedCount);
    failed.add(unmatchedFailures);
    sent.add(batch.size() - refusedCount - unmatchedFailures);
    sendLog.log(Level.WARNING, "AWS X-Ray did not process " + unprocessed.size() + " of " + batch.size()
        + " documents (" + again + " will be sent once more), for example " + example);
  }

  /** The document's {@code id}, or null if it has none or is not JSON. */
  static String documentId(String document) {
    try {
      Object id = Json.asObject(Json.parse(document), "document").get("id");
      return id instanceof String ? (String) id : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Logs, rate-limited, that documents were dropped; here rather than in {@link #offer}, which stays cheap. */
  private void logDrops() {
    long dropped = droppedFull.sum();
    if (dropped > droppedLogged) {
      droppedLogged = dropped;
      dropLog.log(Level.WARNING, "the AWS forwarding buffer (" + limits.capacity()
          + " documents) is full: " + dropped + " documents dropped so far");
    }
  }

  /** Counts what is left in the buffer, and second-chance documents, as failed. */
  private void failRemaining() {
    int n = 0;
    for (String d = queue.poll(); d != null; d = queue.poll()) {
      buffered.decrementAndGet();
      n++;
    }
    if (Thread.currentThread() == sender) {
      n += secondChance.size();
      secondChance.clear();
    }
    if (n > 0) {
      failed.add(n);
      sendLog.log(Level.WARNING, "AWS forwarding stopped with " + n + " documents unsent");
    }
  }
}

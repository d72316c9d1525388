package dev.radiograph.aws;

import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import dev.radiograph.Subsegment;
import dev.radiograph.TraceHeader;
import dev.radiograph.internal.RateLimitedLogger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What an AWS SDK integration does around a call to an AWS service, written once: a subsegment
 * in the {@code aws} namespace named after the service ({@code DynamoDb}, {@code S3},
 * {@code Sqs}), the {@code aws} block ({@code operation}, {@code region}, {@code account_id},
 * the resources, then {@code request_id}, {@code id_2}, {@code retries}), the trace header on
 * each attempt, and at the end the status mapping shared by every AWS SDK:
 *
 * <ul>
 *   <li>the {@code http} block's {@code status} and {@code content_length};
 *   <li>throttling (status 429, or an error code such as {@code ThrottlingException},
 *       {@code ProvisionedThroughputExceededException}, {@code SlowDown}) marks throttle and
 *       error, whatever the status (S3 answers {@code SlowDown} with 503): the service asked the
 *       caller to slow down, it did not fail;
 *   <li>other client errors (4xx, or an error code with no 5xx) mark error;
 *   <li>5xx answers and failures with no answer (refused, timed out) mark fault;
 *   <li>the exception is recorded, {@code remote: true} when the service answered with it.
 * </ul>
 *
 * <pre>{@code
 * AwsCallTracing.Call call = AwsCallTracing.begin(recorder,
 *     AwsOperation.builder("DynamoDb", "GetItem").region("us-east-1").resource("table_name", "orders").build());
 * // on each attempt: call.propagate(httpRequest::putHeader);
 * call.end(AwsOutcome.builder().status(200).requestId(id).retries(0).build());
 * }</pre>
 *
 * <p>Never throws, and never records payloads: only what {@link AwsOperation} and
 * {@link AwsOutcome} carry, whose resource values are names and ids. With no current entity the
 * recorder's context-missing strategy applies, as for any subsegment: under {@code RUNTIME_ERROR}
 * its {@link SegmentNotFoundException} reaches the caller, who asked for it.
 */
public final class AwsCallTracing {
  /**
   * Error codes by which AWS services say "slow down", as the AWS SDKs classify them for retries.
   * {@code LimitExceededException} is not one: services also use it for quotas that no waiting
   * lifts.
   */
  static final Set<String> THROTTLING_ERROR_CODES = Set.of(
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
      "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "EC2ThrottledException");

  private static final RateLimitedLogger LOG =
      new RateLimitedLogger(System.getLogger(AwsCallTracing.class.getName()), 60_000);

  private AwsCallTracing() {}

  /**
   * Begins a subsegment for {@code operation}, current until the call ends.
   *
   * @throws SegmentNotFoundException only outside any segment with context-missing
   *     {@code RUNTIME_ERROR}
   */
  public static Call begin(Recorder recorder, AwsOperation operation) {
    return begin(recorder, operation, false);
  }

  /**
   * As {@link #begin}, for asynchronous clients: the caller's current entity stays current (the
   * call's subsegment is not left current on the calling thread, whose work goes on while the
   * call runs); propagate and end the call from whichever thread runs it.
   */
  public static Call beginAsync(Recorder recorder, AwsOperation operation) {
    return begin(recorder, operation, true);
  }

  private static Call begin(Recorder recorder, AwsOperation operation, boolean async) {
    try {
      boolean inTrace = recorder.currentEntity() != null;
      Subsegment subsegment = async
          ? recorder.beginAsyncSubsegment(operation.service())
          : recorder.beginSubsegment(operation.service());
      if (subsegment.isRecording()) {
        subsegment.setNamespace(Subsegment.NAMESPACE_AWS);
        subsegment.putAws("operation", operation.operation());
        putIfKnown(subsegment, "region", operation.region());
        putIfKnown(subsegment, "account_id", operation.accountId());
        putAll(subsegment, operation.resources());
      }
      // Outside any segment there is no trace to continue: the calls go out without a header.
      return new Call(subsegment, inTrace);
    } catch (SegmentNotFoundException e) {
      throw e; // context-missing=RUNTIME_ERROR: the user asked for it
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph: could not trace an AWS call; it runs untraced", e);
      return Call.UNTRACED;
    }
  }

  /** Whether {@code errorCode} is one by which a service throttles its callers. */
  static boolean isThrottling(String errorCode) {
    return errorCode != null && THROTTLING_ERROR_CODES.contains(errorCode);
  }

  private static void putIfKnown(Subsegment subsegment, String key, Object value) {
    if (value != null) {
      subsegment.putAws(key, value);
    }
  }

  private static void putAll(Subsegment subsegment, Map<String, Object> fields) {
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      subsegment.putAws(field.getKey(), field.getValue());
    }
  }

  /** An AWS call being traced. */
  public static final class Call {
    /** The call whose tracing failed to begin: it records and propagates nothing. */
    static final Call UNTRACED = new Call(null, false);

    private final Subsegment subsegment; // null: untraced
    private final boolean inTrace;

    private Call(Subsegment subsegment, boolean inTrace) {
      this.subsegment = subsegment;
      this.inTrace = inTrace;
    }

    /**
     * Writes the {@code X-Amzn-Trace-Id} header for this call with {@code setHeader}, on each
     * attempt's HTTP request: AWS services that trace (Lambda, API Gateway, SQS, SNS) continue
     * the trace from it. An unsampled request sends {@code Sampled=0}. Never throws.
     */
    public void propagate(BiConsumer<String, String> setHeader) {
      String header = traceHeader();
      if (header == null) {
        return;
      }
      try {
        setHeader.accept(TraceHeader.HEADER_NAME, header);
      } catch (RuntimeException e) {
        // A request that refuses headers still goes out, untraced downstream.
      }
    }

    /**
     * The {@code X-Amzn-Trace-Id} value this call sends, or {@code null} when there is no trace to
     * continue (outside any segment, or tracing failed to begin). Never throws.
     */
    public String traceHeader() {
      if (subsegment == null || !inTrace) {
        return null;
      }
      try {
        return subsegment.traceHeader().toString();
      } catch (RuntimeException e) {
        return null;
      }
    }

    /** Ends the call with what came back (or did not); see {@link AwsCallTracing} for the mapping. Never throws. */
    public void end(AwsOutcome outcome) {
      if (subsegment == null) {
        return;
      }
      try {
        if (subsegment.isRecording() && outcome != null) {
          record(outcome);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Radiograph: could not record an AWS call's outcome", e);
      } finally {
        subsegment.close();
      }
    }

    private void record(AwsOutcome outcome) {
      putAll(subsegment, outcome.resources());
      putIfKnown(subsegment, "request_id", outcome.requestId());
      putIfKnown(subsegment, "id_2", outcome.id2());
      if (outcome.retries() != AwsOutcome.UNKNOWN) {
        subsegment.putAws("retries", outcome.retries());
      }
      int status = outcome.status();
      if (status != AwsOutcome.UNKNOWN) {
        subsegment.putHttp("status", status);
      }
      if (outcome.contentLength() != AwsOutcome.UNKNOWN) {
        subsegment.putHttp("content_length", outcome.contentLength());
      }
      if (outcome.failure() != null) {
        // The service's error code is the exception's type, as X-Ray's console shows AWS errors.
        subsegment.addException(outcome.failure(), outcome.serviceAnswered(),
            outcome.serviceAnswered() ? outcome.errorCode() : null);
      }
      // The status mapping and addException set flags of their own; the AWS rules decide last.
      boolean throttle = status == 429 || isThrottling(outcome.errorCode());
      boolean error = throttle || (status >= 400 && status < 500)
          || (outcome.errorCode() != null && status < 500);
      boolean fault = !error && (status >= 500 || outcome.failure() != null);
      subsegment.setThrottle(throttle);
      subsegment.setError(error);
      subsegment.setFault(fault);
    }
  }
}

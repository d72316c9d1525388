package dev.radiograph.aws;

import java.util.Collections;
import java.util.Map;

/**
 * How an AWS call ended, as the integration read it from the SDK: the HTTP status and content
 * length when the service answered, the request ids ({@code request_id}, S3's {@code id_2}), the
 * retries made, the service's error code ({@code ThrottlingException},
 * {@code ResourceNotFoundException}), the exception, and resources the response names
 * ({@code message_id}, a created queue's {@code queue_url}). Immutable; build one with
 * {@link #builder()}. Never a payload: resource values follow {@link AwsOperation}'s rules.
 */
public final class AwsOutcome {
  /** A value of {@link #status()}, {@link #contentLength()} or {@link #retries()} that is not known. */
  public static final int UNKNOWN = -1;

  private final int status;
  private final long contentLength;
  private final String requestId;
  private final String id2;
  private final int retries;
  private final String errorCode;
  private final Throwable failure;
  private final Map<String, Object> resources;

  private AwsOutcome(Builder builder) {
    this.status = builder.status;
    this.contentLength = builder.contentLength;
    this.requestId = builder.requestId;
    this.id2 = builder.id2;
    this.retries = builder.retries;
    this.errorCode = builder.errorCode;
    this.failure = builder.failure;
    this.resources = Collections.unmodifiableMap(builder.resources);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A call that failed before any answer from the service (refused, timed out, not signed). */
  public static AwsOutcome clientFailure(Throwable failure) {
    return builder().failure(failure).build();
  }

  /** The HTTP status of the last answer, or {@link #UNKNOWN} when the service never answered. */
  public int status() {
    return status;
  }

  /** The answer's content length, or {@link #UNKNOWN}. */
  public long contentLength() {
    return contentLength;
  }

  public String requestId() {
    return requestId;
  }

  public String id2() {
    return id2;
  }

  /** The retries made (0 when the first attempt was the last), or {@link #UNKNOWN}. */
  public int retries() {
    return retries;
  }

  /** The service's error code, or null. */
  public String errorCode() {
    return errorCode;
  }

  /** The exception the call ended with, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Whether the service answered: a status or an error code came back. */
  public boolean serviceAnswered() {
    return status > 0 || errorCode != null;
  }

  public Map<String, Object> resources() {
    return resources;
  }

  /** Builds an {@link AwsOutcome}; everything not set is unknown. */
  public static final class Builder {
    private int status = UNKNOWN;
    private long contentLength = UNKNOWN;
    private String requestId;
    private String id2;
    private int retries = UNKNOWN;
    private String errorCode;
    private Throwable failure;
    private final Map<String, Object> resources = AwsFields.newFields();

    private Builder() {}

    /** The HTTP status of the service's last answer; 0 or less is unknown. */
    public Builder status(int status) {
      this.status = status > 0 ? status : UNKNOWN;
      return this;
    }

    /** The answer's content length; negative is unknown. */
    public Builder contentLength(long contentLength) {
      this.contentLength = contentLength >= 0 ? contentLength : UNKNOWN;
      return this;
    }

    /** The request id ({@code x-amzn-RequestId}, {@code x-amz-request-id}); null or empty when not known. */
    public Builder requestId(String requestId) {
      this.requestId = AwsFields.known(requestId);
      return this;
    }

    /** S3's extended request id ({@code x-amz-id-2}); null or empty when not known. */
    public Builder id2(String id2) {
      this.id2 = AwsFields.known(id2);
      return this;
    }

    /** The retries made: attempts minus one; negative is unknown. */
    public Builder retries(int retries) {
      this.retries = retries >= 0 ? retries : UNKNOWN;
      return this;
    }

    /** The service's error code ({@code ThrottlingException}); null or empty when there was none. */
    public Builder errorCode(String errorCode) {
      this.errorCode = AwsFields.known(errorCode);
      return this;
    }

    /** The exception the call ended with; null when it succeeded. */
    public Builder failure(Throwable failure) {
      this.failure = failure;
      return this;
    }

    /** A resource field the response names ({@code message_id}); see {@link AwsOperation.Builder#resource}. */
    public Builder resource(String key, Object value) {
      AwsFields.put(resources, key, value);
      return this;
    }

    public AwsOutcome build() {
      return new AwsOutcome(this);
    }
  }
}

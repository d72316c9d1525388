package dev.radiograph.daemon.forward;

import dev.radiograph.daemon.json.JsonOutput;
import java.util.Objects;

/**
 * A sampling call that the daemon could not proxy to AWS X-Ray, with the answer to give the SDK
 * that asked: an HTTP status and an X-Ray API error body ({@code {"__type": ..., "message": ...}}).
 *
 * <p>A bad request body is {@code 400 InvalidRequestException}; an error answer from AWS keeps
 * AWS's status and error code; AWS out of reach is {@code 503 ServiceUnavailable} (the common AWS
 * error name), so that the SDK's poller simply tries again at its next interval.
 */
public final class SamplingProxyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String errorType;

  public SamplingProxyException(int statusCode, String errorType, String message, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorType = Objects.requireNonNull(errorType, "errorType");
  }

  /** The HTTP status to answer with. */
  public int statusCode() {
    return statusCode;
  }

  /** The X-Ray error name, the body's {@code __type}. */
  public String errorType() {
    return errorType;
  }

  /** The X-Ray API error body: {@code {"__type": errorType, "message": message}}. */
  public String toJson() {
    return new JsonOutput().beginObject().name("__type").value(errorType).name("message").value(getMessage())
        .endObject().toText();
  }
}

package dev.radiograph.httpclient5;

import java.util.function.BiConsumer;
import org.apache.hc.core5.http.HttpRequest;

/**
 * The trace headers that core's client tracing writes for one logical call, kept so that every
 * request the client sends for that call carries them: the first attempt, each retry and each
 * redirect (a redirect is a new request, built without the original's headers).
 */
final class TraceHeaders implements BiConsumer<String, String> {
  // Core writes at most two headers (X-Amzn-Trace-Id and traceparent); written once, at begin,
  // before the exchange is visible to any other thread.
  private String firstName;
  private String firstValue;
  private String secondName;
  private String secondValue;

  @Override
  public void accept(String name, String value) {
    if (firstName == null) {
      firstName = name;
      firstValue = value;
    } else if (secondName == null) {
      secondName = name;
      secondValue = value;
    }
  }

  /** Sets the collected headers on {@code request}, replacing any of the same name. */
  void applyTo(HttpRequest request) {
    if (firstName != null) {
      request.setHeader(firstName, firstValue);
    }
    if (secondName != null) {
      request.setHeader(secondName, secondValue);
    }
  }
}

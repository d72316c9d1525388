package dev.radiograph.httpclient;

import java.net.http.HttpRequest;
import java.util.function.BiConsumer;

/**
 * Collects the trace headers that core's client tracing writes, then puts them on a copy of the
 * request: an {@link HttpRequest} is immutable, and a request with nothing to add is sent as it
 * is, without the cost of a copy.
 */
final class TraceHeaders implements BiConsumer<String, String> {
  // Core writes at most two headers (X-Amzn-Trace-Id and traceparent).
  private final String[] names = new String[2];
  private final String[] values = new String[2];
  private int size;

  @Override
  public void accept(String name, String value) {
    if (size < names.length) {
      names[size] = name;
      values[size] = value;
      size++;
    }
  }

  /** {@code request} with the collected headers set (replacing any of the same name). */
  HttpRequest applyTo(HttpRequest request) {
    if (size == 0) {
      return request;
    }
    try {
      HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> !isCollected(name));
      for (int i = 0; i < size; i++) {
        copy.setHeader(names[i], values[i]);
      }
      return copy.build();
    } catch (RuntimeException e) {
      // A request that cannot be copied still goes out, just without the headers downstream.
      return request;
    }
  }

  private boolean isCollected(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}

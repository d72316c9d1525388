package dev.radiograph.daemon.query;

import java.util.Collection;

/**
 * What a filter expression can ask about one trace: the facts X-Ray's GetTraceSummaries filters
 * on. The store computes them once per trace when its documents change.
 */
public interface TraceFacts {
  /** The trace id, {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}. */
  String traceId();

  /** Seconds from the first request to the response of the root segment ({@code responsetime}). */
  double responseTime();

  /** Seconds from the earliest start to the latest end of any segment ({@code duration}). */
  double duration();

  /** The root segment's HTTP status, or {@code null} ({@code http.status}). */
  Integer httpStatus();

  /** The root segment's request URL, or {@code null} ({@code http.url}). */
  String httpUrl();

  /** The root segment's request method, or {@code null} ({@code http.method}). */
  String httpMethod();

  /** The root segment's user agent, or {@code null} ({@code http.useragent}). */
  String httpUserAgent();

  /** The root segment's client IP, or {@code null} ({@code http.clientip}). */
  String httpClientIp();

  /** Whether any segment or subsegment has {@code error: true}. */
  boolean hasError();

  /** Whether any segment or subsegment has {@code fault: true}. */
  boolean hasFault();

  /** Whether any segment or subsegment has {@code throttle: true}. */
  boolean hasThrottle();

  /** The names of the services (segments) in the trace ({@code service("name")}). */
  Collection<String> services();

  /**
   * Whether the trace has a call from the node named {@code from} to the node named {@code to}
   * ({@code edge("from", "to")}), the edges of the service map: a segment called from a
   * subsegment of another service, or a remote or AWS call to something that sent no segment
   * (named as its node is: the call's name, the AWS resource's name).
   */
  boolean hasEdge(String from, String to);

  /**
   * Every value of annotation {@code key} in the trace's segments and subsegments: String,
   * Long/Double (numbers) or Boolean. Empty when none has it.
   */
  Collection<Object> annotationValues(String key);

  /** The users set on the trace's segments ({@code user}). */
  Collection<String> users();
}

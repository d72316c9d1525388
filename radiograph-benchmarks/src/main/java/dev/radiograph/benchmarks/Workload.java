package dev.radiograph.benchmarks;

/**
 * The one request every peer records, so that the numbers compare like with like: a segment
 * (root span) named {@value #SEGMENT}, and three subsegments (child spans), each with the same
 * two annotations (attributes): one string, one number.
 */
final class Workload {
  static final String SEGMENT = "checkout";
  static final String[] SUBSEGMENTS = {"load-cart", "price-items", "reserve-stock"};

  static final String STRING_KEY = "customer_tier";
  static final String STRING_VALUE = "gold";
  static final String NUMBER_KEY = "item_count";
  /** Boxed once: the X-Ray APIs take a {@link Number}, and no peer should pay for boxing. */
  static final Integer NUMBER_VALUE = 42;

  /**
   * The queries (JDBC) or calls (HTTP client) one traced request makes in the client-side
   * integration benchmarks: each operation is one of them, and a segment is begun and ended around
   * every {@value} (so each pays a tenth of a segment, and the subsegments go out inside their
   * segment's document, as in a real request, not streamed one by one).
   */
  static final int CALLS_PER_SEGMENT = 10;

  /** The tracing name of the traced servers of the integration benchmarks (their segments' name). */
  static final String SERVICE = "hello";

  /** An incoming header, for the parse + write benchmark. */
  static final String TRACE_HEADER =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  /** Where no daemon can ever be found (the {@code .invalid} TLD is reserved, RFC 2606). */
  static final String UNRESOLVABLE_DAEMON = "radiograph-nonexistent.invalid:2000";

  private Workload() {}

  /**
   * Requests a server benchmark pipelines per operation: enough that the server works through
   * them back to back (its per-request cost shows, not the loopback's wake-up latency), few
   * enough to fit the socket buffers.
   */
  static final int PIPELINED_REQUESTS = 32;
}

package dev.radiograph.daemon.api;

import dev.radiograph.daemon.query.FilterExpression;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /radiograph/histogram}: the response-time distribution of every trace matching a
 * filter in a time range, for the viewer's histogram above the trace list (X-Ray's
 * "response time distribution"). It needs the response times of all matching traces, which a page
 * of {@code GetTraceSummaries} does not give, so the daemon counts them where they are stored.
 *
 * <p>Request {@code {"StartTime": s, "EndTime": s, "FilterExpression": "...", "Buckets": n}}
 * (epoch seconds; the filter and {@code Buckets}, 1 to {@value #MAX_BUCKETS}, default
 * {@value #DEFAULT_BUCKETS}, are optional). Answer {@code {"Buckets": [{"From": s, "To": s,
 * "Count": n}], "Total": n}}: equal-width buckets of a round width (1, 2, 2.5 or 5 times a power of
 * ten, so that a dragged range reads as {@code responsetime >= 0.25}), from the fastest to the
 * slowest matching trace; none when nothing matches. A value on a boundary counts in the bucket it
 * starts; the slowest trace counts in the last bucket.
 */
public final class ResponseTimeHistogram {
  /** Buckets when the request names none. */
  public static final int DEFAULT_BUCKETS = 40;

  /** The most buckets a request may ask for. */
  public static final int MAX_BUCKETS = 200;

  private static final double[] NICE_STEPS = {1, 2, 2.5, 5, 10};
  // A range of identical response times still gets a bucket of some width.
  private static final double MIN_SPAN_SECONDS = 0.001;
  // Documents carry microseconds; a response time taken as the difference of two epoch doubles is
  // off by a few tenths of one (0.1 s reads 0.0999998), so a boundary is this much wide.
  private static final double RESOLUTION_SECONDS = 1e-6;

  private ResponseTimeHistogram() {}

  /**
   * Answers a request body with the histogram of the traces in {@code store}.
   *
   * @throws IllegalArgumentException when the body is not such a request (a 400 for the client)
   * @throws dev.radiograph.daemon.query.FilterSyntaxException when the filter is not valid (a 400)
   */
  public static byte[] answer(byte[] body, TraceStore store) {
    Map<String, Object> request = RequestBody.object(body);
    RequestBody.TimeRange range = RequestBody.timeRange(request);
    double start = range.start();
    double end = range.end();
    Object filterText = request.get("FilterExpression");
    FilterExpression filter = FilterExpression.parse(filterText instanceof String ? (String) filterText : null);
    int buckets = bucketCount(request.get("Buckets"));
    List<StoredTrace> matches = store.find(start, end, filter::matches);
    double[] times = new double[matches.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = matches.get(i).responseTime();
    }
    return write(times, buckets);
  }

  private static int bucketCount(Object value) {
    if (value == null) {
      return DEFAULT_BUCKETS;
    }
    double n = Json.asNumber(value, "Buckets").doubleValue();
    if (n != Math.rint(n) || n < 1 || n > MAX_BUCKETS) {
      throw new IllegalArgumentException("Buckets must be a whole number from 1 to " + MAX_BUCKETS + ", found " + value);
    }
    return (int) n;
  }

  static byte[] write(double[] times, int wanted) {
    JsonOutput w = new JsonOutput().beginObject().name("Buckets").beginArray();
    if (times.length > 0) {
      double min = Double.MAX_VALUE;
      double max = 0;
      for (double t : times) {
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
      double width = niceStep(Math.max(max - min, MIN_SPAN_SECONDS) / wanted);
      double low = Math.floor((min + RESOLUTION_SECONDS) / width) * width;
      // The rounded width and start can need one bucket more or fewer than asked for.
      int count = Math.max(1, Math.min(wanted + 1, bucketOf(max, low, width) + 1));
      long[] counts = new long[count];
      for (double t : times) {
        counts[Math.max(0, Math.min(count - 1, bucketOf(t, low, width)))]++;
      }
      for (int i = 0; i < count; i++) {
        w.beginObject()
            .name("From").value(round(low + i * width))
            .name("To").value(round(low + (i + 1) * width))
            .name("Count").value(counts[i])
            .endObject();
      }
    }
    return w.endArray().name("Total").value(times.length).endObject().toByteArray();
  }

  /** The bucket holding {@code t}; a value on a boundary (within a microsecond) starts the next. */
  private static int bucketOf(double t, double low, double width) {
    return (int) Math.floor((t - low + RESOLUTION_SECONDS) / width);
  }

  /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code raw}. */
  private static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double step : NICE_STEPS) {
      if (step * power >= raw * (1 - 1e-9)) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** Drops the binary noise of multiplying a decimal width ({@code 0.30000000000000004}). */
  private static double round(double seconds) {
    return Math.round(seconds * 1e9) / 1e9;
  }
}

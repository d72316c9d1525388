package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.query.FilterExpression;
import dev.radiograph.daemon.query.TraceFacts;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GetTimeSeriesServiceStatistics} ({@code POST /TimeSeriesServiceStatistics}): for each
 * {@code Period} (seconds, default {@value #DEFAULT_PERIOD}) of [StartTime, EndTime] that traces
 * started in, their counts and response times in X-Ray's {@code ServiceSummaryStatistics} and
 * {@code ResponseTimeHistogram} shapes, as the console's response-time chart reads them.
 *
 * <p>The traces counted are those that the {@code EntitySelectorExpression} (in the filter
 * language) and the group ({@code GroupName} or {@code GroupARN}) both let through. A selector
 * that names one service ({@code service("orders")}) gives that service's statistics (its
 * segments, as on the service map), one that names one edge ({@code edge("a", "b")}) the calls'
 * as {@code EdgeSummaryStatistics}; any other selector, or none, one count per trace, with its
 * response time and flags. Periods without any are left out, as X-Ray does.
 */
final class GetTimeSeriesServiceStatistics implements Operation {
  static final int DEFAULT_PERIOD = 60;
  /** More periods than any chart draws; keeps a tiny period over a long range from filling the heap. */
  private static final long MAX_PERIODS = 100_000;

  private static final Pattern SERVICE = Pattern.compile("\\s*service\\(\\s*\"([^\"\\\\]*)\"\\s*\\)\\s*");
  private static final Pattern EDGE = Pattern.compile(
      "\\s*edge\\(\\s*\"([^\"\\\\]*)\"\\s*,\\s*\"([^\"\\\\]*)\"\\s*\\)\\s*");

  private final TraceStore store;
  private final GroupRegistry groups;

  GetTimeSeriesServiceStatistics(TraceStore store, GroupRegistry groups) {
    this.store = store;
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    RequestBody.TimeRange range = RequestBody.timeRange(request);
    long period = period(request.get("Period"));
    if ((range.end() - range.start()) / period > MAX_PERIODS) {
      throw new IllegalArgumentException("the range holds more than " + MAX_PERIODS + " periods of " + period
          + " s; use a longer Period");
    }
    Object selectorText = request.get("EntitySelectorExpression");
    String selector = selectorText == null ? null : Json.asString(selectorText, "EntitySelectorExpression");
    FilterExpression entity = FilterExpression.parse(selector);
    Matcher service = selector == null ? null : SERVICE.matcher(selector);
    Matcher edge = selector == null ? null : EDGE.matcher(selector);
    Predicate<TraceFacts> group = groups.filter(request);
    // One service or edge: its own statistics, from a service graph per period. Anything else:
    // the statistics of the traces the selector lets through, one count per trace.
    boolean oneService = service != null && service.matches();
    boolean oneEdge = !oneService && edge != null && edge.matches();
    TreeMap<Long, ServiceGraph> graphs = new TreeMap<>();
    TreeMap<Long, ServiceGraph.Statistics> periods = new TreeMap<>();
    for (StoredTrace trace : store.find(range.start(), range.end(), t -> entity.matches(t) && group.test(t))) {
      long at = (long) range.start() + (long) Math.floor((trace.startTime() - range.start()) / period) * period;
      if (oneService || oneEdge) {
        graphs.computeIfAbsent(at, k -> new ServiceGraph()).add(trace);
      } else {
        periods.computeIfAbsent(at, k -> new ServiceGraph.Statistics())
            .add(trace.responseTime(), trace.hasError(), trace.hasFault(), trace.hasThrottle());
      }
    }
    for (Map.Entry<Long, ServiceGraph> e : graphs.entrySet()) {
      ServiceGraph.Statistics stats = oneService
          ? e.getValue().serviceStatistics(service.group(1))
          : e.getValue().edgeStatistics(edge.group(1), edge.group(2));
      if (stats != null) {
        periods.put(e.getKey(), stats);
      }
    }
    JsonOutput w = new JsonOutput().beginObject().name("TimeSeriesServiceStatistics").beginArray();
    for (Map.Entry<Long, ServiceGraph.Statistics> e : periods.entrySet()) {
      w.beginObject().name("Timestamp").value((double) e.getKey())
          .name(oneEdge ? "EdgeSummaryStatistics" : "ServiceSummaryStatistics");
      e.getValue().writeSummary(w);
      w.name("ResponseTimeHistogram");
      e.getValue().writeHistogram(w);
      w.endObject();
    }
    return w.endArray()
        .name("ContainsOldGroupVersions").value(false)
        .name("NextToken").nullValue()
        .endObject().toByteArray();
  }

  private static long period(Object value) {
    if (value == null) {
      return DEFAULT_PERIOD;
    }
    double seconds = Json.asNumber(value, "Period").doubleValue();
    if (!(seconds >= 1 && seconds <= 86_400 * 365) || seconds != Math.rint(seconds)) {
      throw new IllegalArgumentException("Period must be a whole number of seconds from 1 up, got " + value);
    }
    return (long) seconds;
  }
}

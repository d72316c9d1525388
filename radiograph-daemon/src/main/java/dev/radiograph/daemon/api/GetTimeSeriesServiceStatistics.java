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

/**
 * {@code GetTimeSeriesServiceStatistics} ({@code POST /TimeSeriesServiceStatistics}): for each
 * {@code Period} (seconds, default {@value #DEFAULT_PERIOD}) of [StartTime, EndTime] that traces
 * started in, their counts and response times in X-Ray's {@code ServiceSummaryStatistics} and
 * {@code ResponseTimeHistogram} shapes, as the console's response-time chart reads them.
 *
 * <p>The traces counted are those that the {@code EntitySelectorExpression} (such as
 * {@code service("orders")}, in the filter language) and the group ({@code GroupName} or
 * {@code GroupARN}) both let through; each counts once, with its own response time and flags.
 * Periods without traces are left out, as X-Ray does.
 */
final class GetTimeSeriesServiceStatistics implements Operation {
  static final int DEFAULT_PERIOD = 60;
  /** More periods than any chart draws; keeps a tiny period over a long range from filling the heap. */
  private static final long MAX_PERIODS = 100_000;

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
    FilterExpression entity = entitySelector(request);
    Predicate<TraceFacts> group = groups.filter(request);
    TreeMap<Long, ServiceGraph.Statistics> periods = new TreeMap<>();
    for (StoredTrace trace : store.find(range.start(), range.end(),
        t -> entity.matches(t) && group.test(t))) {
      long at = (long) range.start() + (long) Math.floor((trace.startTime() - range.start()) / period) * period;
      periods.computeIfAbsent(at, k -> new ServiceGraph.Statistics())
          .add(trace.responseTime(), trace.hasError(), trace.hasFault(), trace.hasThrottle());
    }
    JsonOutput w = new JsonOutput().beginObject().name("TimeSeriesServiceStatistics").beginArray();
    for (Map.Entry<Long, ServiceGraph.Statistics> e : periods.entrySet()) {
      w.beginObject().name("Timestamp").value((double) e.getKey()).name("ServiceSummaryStatistics");
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

  private static FilterExpression entitySelector(Map<String, Object> request) {
    Object text = request.get("EntitySelectorExpression");
    return FilterExpression.parse(text == null ? null : Json.asString(text, "EntitySelectorExpression"));
  }
}

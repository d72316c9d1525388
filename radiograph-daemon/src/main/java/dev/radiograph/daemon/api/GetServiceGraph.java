package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.query.TraceFacts;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GetServiceGraph} ({@code POST /ServiceGraph}): the services of the traces that started in
 * [StartTime, EndTime], their edges and the inferred nodes of remote calls ({@link ServiceGraph}).
 * One page: the graph of a local store is small. A {@code GroupName} or {@code GroupARN} keeps the
 * traces its filter matches, as in X-Ray.
 */
final class GetServiceGraph implements Operation {
  private final TraceStore store;
  private final GroupRegistry groups;

  GetServiceGraph(TraceStore store, GroupRegistry groups) {
    this.store = store;
    this.groups = groups;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    RequestBody.TimeRange range = RequestBody.timeRange(request);
    ServiceGraph graph = new ServiceGraph();
    Predicate<TraceFacts> group = groups.filter(request);
    for (StoredTrace trace : store.find(range.start(), range.end(), group::test)) {
      graph.add(trace);
    }
    JsonOutput w = new JsonOutput();
    graph.write(w, range.start(), range.end());
    return w.toByteArray();
  }
}

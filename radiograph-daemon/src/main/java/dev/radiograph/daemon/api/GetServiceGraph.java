package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.Map;

/**
 * {@code GetServiceGraph} ({@code POST /ServiceGraph}): the services of the traces that started in
 * [StartTime, EndTime], their edges and the inferred nodes of remote calls ({@link ServiceGraph}).
 * One page: the graph of a local store is small.
 */
final class GetServiceGraph implements Operation {
  private final TraceStore store;

  GetServiceGraph(TraceStore store) {
    this.store = store;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    RequestBody.TimeRange range = RequestBody.timeRange(request);
    ServiceGraph graph = new ServiceGraph();
    for (StoredTrace trace : store.find(range.start(), range.end(), t -> true)) {
      graph.add(trace);
    }
    JsonOutput w = new JsonOutput();
    graph.write(w, range.start(), range.end());
    return w.toByteArray();
  }
}

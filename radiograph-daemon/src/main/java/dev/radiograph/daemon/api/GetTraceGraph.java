package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.List;
import java.util.Map;

/**
 * {@code GetTraceGraph} ({@code POST /TraceGraph}): the service graph ({@link ServiceGraph}, in
 * {@code GetServiceGraph}'s {@code Services} shape) of just the traces named in {@code TraceIds}
 * (1 to {@value RequestBody#MAX_TRACE_IDS}); ids not stored add nothing, as in X-Ray. One page:
 * the graph of a few traces is small.
 */
final class GetTraceGraph implements Operation {
  private final TraceStore store;

  GetTraceGraph(TraceStore store) {
    this.store = store;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    List<String> ids = RequestBody.traceIds(request);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("TraceIds must name at least one trace");
    }
    ServiceGraph graph = new ServiceGraph();
    for (String id : ids) {
      StoredTrace trace = store.get(id);
      if (trace != null) {
        graph.add(trace);
      }
    }
    JsonOutput w = new JsonOutput().beginObject();
    graph.writeServices(w, graph.start(0), graph.end(0));
    return w.name("NextToken").nullValue().endObject().toByteArray();
  }
}

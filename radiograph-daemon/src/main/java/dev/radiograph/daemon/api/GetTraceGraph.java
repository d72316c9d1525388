package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.List;
import java.util.Map;

/**
 * {@code GetTraceGraph} ({@code POST /TraceGraph}): the service graph ({@link ServiceGraph}, in
 * {@code GetServiceGraph}'s {@code Services} shape) of just the traces named in {@code TraceIds};
 * ids not stored add nothing, as in X-Ray. One page: the graph of a few traces is small.
 */
final class GetTraceGraph implements Operation {
  private static final int MAX_TRACE_IDS = 100;

  private final TraceStore store;

  GetTraceGraph(TraceStore store) {
    this.store = store;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    List<Object> ids = Json.asArray(request.get("TraceIds"), "TraceIds");
    if (ids.isEmpty() || ids.size() > MAX_TRACE_IDS) {
      throw new IllegalArgumentException("TraceIds takes 1 to " + MAX_TRACE_IDS + " ids, found " + ids.size());
    }
    ServiceGraph graph = new ServiceGraph();
    for (Object id : ids) {
      StoredTrace trace = store.get(Json.asString(id, "a trace id"));
      if (trace != null) {
        graph.add(trace);
      }
    }
    JsonOutput w = new JsonOutput().beginObject();
    graph.writeServices(w, graph.start(0), graph.end(0));
    return w.name("NextToken").nullValue().endObject().toByteArray();
  }
}

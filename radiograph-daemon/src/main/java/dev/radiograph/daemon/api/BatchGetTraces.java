package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code BatchGetTraces} ({@code POST /Traces}): up to {@value #MAX_TRACE_IDS} traces by id, each
 * with its documents assembled ({@link TraceAssembly}); ids not stored are listed in
 * {@code UnprocessedTraceIds}.
 */
final class BatchGetTraces implements Operation {
  private static final int MAX_TRACE_IDS = 100;

  private final TraceStore store;

  BatchGetTraces(TraceStore store) {
    this.store = store;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    List<Object> ids = Json.asArray(request.get("TraceIds"), "TraceIds");
    if (ids.size() > MAX_TRACE_IDS) {
      throw new IllegalArgumentException("TraceIds takes at most " + MAX_TRACE_IDS + " ids, found " + ids.size());
    }
    List<String> traceIds = new ArrayList<>(ids.size());
    for (Object id : ids) {
      traceIds.add(Json.asString(id, "a trace id"));
    }
    // Each trace is an immutable snapshot: nothing here holds what ingest needs.
    JsonOutput w = new JsonOutput().beginObject().name("Traces").beginArray();
    List<String> unprocessed = new ArrayList<>();
    for (String id : traceIds) {
      StoredTrace trace = store.get(id);
      if (trace == null) {
        unprocessed.add(id);
        continue;
      }
      w.beginObject()
          .name("Id").value(id)
          .name("Duration").value(trace.duration())
          .name("LimitExceeded").value(trace.truncated())
          .name("Segments").beginArray();
      for (Map.Entry<String, String> segment : TraceAssembly.assemble(trace.documents()).entrySet()) {
        w.beginObject().name("Id").value(segment.getKey()).name("Document").value(segment.getValue()).endObject();
      }
      w.endArray().endObject();
    }
    w.endArray().name("UnprocessedTraceIds").beginArray();
    for (String id : unprocessed) {
      w.value(id);
    }
    return w.endArray().endObject().toByteArray();
  }
}

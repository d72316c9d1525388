package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code BatchGetTraces} ({@code POST /Traces}): up to {@value RequestBody#MAX_TRACE_IDS} traces by id, each
 * with its documents assembled ({@link TraceAssembly}); ids not stored are listed in
 * {@code UnprocessedTraceIds}.
 */
final class BatchGetTraces implements Operation {
  private final TraceStore store;

  BatchGetTraces(TraceStore store) {
    this.store = store;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    List<String> traceIds = RequestBody.traceIds(request);
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

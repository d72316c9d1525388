package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.TraceStore;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code PutTraceSegments} ({@code POST /TraceSegments}): up to 50 documents as JSON strings.
 * Each valid one is stored (and forwarded); each other one is reported in
 * {@code UnprocessedTraceSegments} with why, and counted, as AWS X-Ray does.
 */
final class PutTraceSegments implements Operation {
  private static final int MAX_DOCUMENTS = 50;

  private final TraceStore store;
  private final Consumer<DocumentSummary> forward;

  /** @param forward receives each stored document, or null */
  PutTraceSegments(TraceStore store, Consumer<DocumentSummary> forward) {
    this.store = store;
    this.forward = forward;
  }

  @Override
  public byte[] answer(byte[] body) {
    Map<String, Object> request = RequestBody.object(body);
    List<Object> documents = Json.asArray(request.get("TraceSegmentDocuments"), "TraceSegmentDocuments");
    if (documents.size() > MAX_DOCUMENTS) {
      throw new IllegalArgumentException("TraceSegmentDocuments takes at most " + MAX_DOCUMENTS
          + " documents, found " + documents.size());
    }
    JsonOutput w = new JsonOutput().beginObject().name("UnprocessedTraceSegments").beginArray();
    for (Object item : documents) {
      if (!(item instanceof String)) {
        store.rejectMalformed();
        unprocessed(w, null, "InvalidDocument", "each document must be a JSON string");
        continue;
      }
      String text = (String) item;
      if (DocumentSummary.utf8Length(text) > TraceStore.MAX_DOCUMENT_BYTES) {
        store.rejectOversize();
        unprocessed(w, null, "DocumentTooLarge", "a document may be at most 64 KB");
        continue;
      }
      try {
        DocumentSummary document = DocumentSummary.parse(text);
        store.add(document);
        if (forward != null) {
          forward.accept(document);
        }
      } catch (IllegalArgumentException e) {
        store.reject(e);
        unprocessed(w, idOf(text), "InvalidDocument", e.getMessage());
      }
    }
    return w.endArray().endObject().toByteArray();
  }

  private static void unprocessed(JsonOutput w, String id, String code, String message) {
    w.beginObject();
    if (id != null) {
      w.name("Id").value(id);
    }
    w.name("ErrorCode").value(code).name("Message").value(message).endObject();
  }

  /** The id of a document that was refused, to report it by; null when even that cannot be read. */
  private static String idOf(String text) {
    try {
      Object id = Json.asObject(Json.parse(text), "document").get("id");
      return id instanceof String ? (String) id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

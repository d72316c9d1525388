package dev.radiograph.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The store keeps whole traces within its bounds, oldest out first, and counts everything. */
class MemoryTraceStoreTest {
  private static DocumentSummary segment(int trace, int id, String name, double start, String parent, boolean subsegment) {
    String text = String.format(Locale.ROOT,
        "{\"name\":\"%s\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\",\"start_time\":%.3f,\"end_time\":%.3f%s%s}",
        name, id, trace, start, start + 0.5,
        parent == null ? "" : ",\"parent_id\":\"" + parent + "\"",
        subsegment ? ",\"type\":\"subsegment\"" : "");
    return DocumentSummary.parse(text);
  }

  @Test
  void evictsTheOldestWholeTracesPastTheTraceBound() {
    TraceStore store = new MemoryTraceStore(3, Long.MAX_VALUE);
    for (int trace = 1; trace <= 5; trace++) {
      store.add(segment(trace, trace * 10, "svc", 1000 + trace, null, false));
      store.add(segment(trace, trace * 10 + 1, "sub", 1000 + trace, String.format("%016x", trace * 10), true));
    }
    StoreStats stats = store.stats();
    assertThat(stats.storedTraces()).isEqualTo(3);
    assertThat(stats.storedDocuments()).isEqualTo(6);
    assertThat(stats.evictedTraces()).isEqualTo(2);
    assertThat(stats.evictedDocuments()).isEqualTo(4);
    assertThat(stats.accepted()).isEqualTo(10);
    assertThat(store.get("1-5759e988-000000000000000000000001")).isNull();
    assertThat(store.get("1-5759e988-000000000000000000000005").documents()).hasSize(2);
  }

  @Test
  void evictsPastTheByteBoundAndReplacesDocumentsWithTheSameId() {
    DocumentSummary one = segment(1, 1, "svc", 1000, null, false);
    TraceStore sizing = new MemoryTraceStore(1000, Long.MAX_VALUE);
    sizing.add(one);
    long traceBytes = sizing.stats().storedBytes(); // one trace of one document, with the store's indexes
    TraceStore store = new MemoryTraceStore(1000, traceBytes * 3 + 10);
    store.add(one);
    store.add(segment(1, 1, "svc-updated", 1000, null, false)); // same id: replaces
    assertThat(store.stats().storedDocuments()).isEqualTo(1);
    assertThat(store.get(one.traceId()).documents().get(0).name()).isEqualTo("svc-updated");
    for (int trace = 2; trace <= 6; trace++) {
      store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
    }
    StoreStats stats = store.stats();
    assertThat(stats.storedBytes()).isLessThanOrEqualTo(traceBytes * 3 + 10);
    assertThat(stats.storedTraces()).isEqualTo(3);
    assertThat(stats.evictedTraces()).isEqualTo(3);
  }

  @Test
  void findFiltersByTimeNewestFirst() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE);
    for (int trace = 1; trace <= 5; trace++) {
      store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
    }
    List<StoredTrace> found = store.find(1002, 1004, t -> true);
    assertThat(found).extracting(StoredTrace::traceId).containsExactly(
        "1-5759e988-000000000000000000000004", "1-5759e988-000000000000000000000003", "1-5759e988-000000000000000000000002");
  }

  @Test
  void partialTracesAndRootsAreDerivedFromTheDocuments() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE);
    store.add(segment(1, 2, "downstream", 1000.1, "00000000000000aa", false));
    StoredTrace trace = store.get("1-5759e988-000000000000000000000001");
    assertThat(trace.isPartial()).as("the caller's segment has not arrived").isTrue();
    store.add(DocumentSummary.parse("{\"name\":\"caller\",\"id\":\"0000000000000001\",\"trace_id\":\"1-5759e988-000000000000000000000001\","
        + "\"start_time\":1000.0,\"end_time\":1001.0,\"subsegments\":[{\"name\":\"call\",\"id\":\"00000000000000aa\","
        + "\"start_time\":1000.05,\"end_time\":1000.9,\"namespace\":\"remote\"}]}"));
    assertThat(trace.isPartial()).as("a snapshot does not change").isTrue();
    trace = store.get("1-5759e988-000000000000000000000001");
    assertThat(trace.isPartial()).isFalse();
    assertThat(trace.root().name()).isEqualTo("caller");
    assertThat(trace.responseTime()).isEqualTo(1.0);
    assertThat(trace.services()).containsExactly("downstream", "caller");
  }

  private static DocumentSummary subsegment(int trace, int id, String parent, String extra) {
    return DocumentSummary.parse(String.format(Locale.ROOT,
        "{\"name\":\"s\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\",\"start_time\":1000.1,"
            + "\"type\":\"subsegment\",\"parent_id\":\"%s\"%s}", id, trace, parent, extra));
  }

  @Test
  void aLateInProgressCopyNeverReplacesTheCompleteDocument() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE);
    store.add(subsegment(1, 2, "0000000000000001", ",\"end_time\":1000.2"));
    store.add(subsegment(1, 2, "0000000000000001", ",\"in_progress\":true"));
    DocumentSummary kept = store.get("1-5759e988-000000000000000000000001").documents().get(0);
    assertThat(kept.inProgress()).isFalse();
    // The other way round, the complete copy replaces the in-progress one.
    store.add(subsegment(1, 3, "0000000000000001", ",\"in_progress\":true"));
    store.add(subsegment(1, 3, "0000000000000001", ",\"end_time\":1000.3"));
    assertThat(store.get("1-5759e988-000000000000000000000001").documents()).extracting(DocumentSummary::inProgress)
        .containsExactly(false, false);
    assertThat(store.stats().accepted()).isEqualTo(4);
    assertThat(store.stats().storedDocuments()).isEqualTo(2);
  }

  @Test
  void aSnapshotDoesNotChangeWhenDocumentsArriveOrAreReplaced() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE);
    for (int i = 1; i <= 600; i++) { // past the first chunk and the id index threshold
      store.add(subsegment(1, i, "00000000000000aa", ",\"in_progress\":true"));
    }
    StoredTrace before = store.get("1-5759e988-000000000000000000000001");
    for (int i = 1; i <= 600; i++) {
      store.add(subsegment(1, i, "00000000000000aa", ",\"end_time\":1000.2"));
    }
    store.add(subsegment(1, 601, "00000000000000aa", ",\"end_time\":1000.2"));
    assertThat(before.documents()).hasSize(600).allMatch(DocumentSummary::inProgress);
    StoredTrace after = store.get("1-5759e988-000000000000000000000001");
    assertThat(after.documents()).hasSize(601).noneMatch(DocumentSummary::inProgress);
    assertThat(store.stats().storedDocuments()).isEqualTo(601);
  }

  @Test
  void aTracePastItsDocumentCapIsMarkedTruncatedAndTheRestCounted() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE, 50);
    for (int i = 1; i <= 80; i++) {
      store.add(subsegment(1, i, "00000000000000aa", ",\"end_time\":1000.2"));
    }
    store.add(segment(2, 1, "other", 1001, null, false));
    StoredTrace trace = store.get("1-5759e988-000000000000000000000001");
    assertThat(trace.documentCount()).isEqualTo(50);
    assertThat(trace.truncated()).isTrue();
    assertThat(store.get("1-5759e988-000000000000000000000002").truncated()).isFalse();
    StoreStats stats = store.stats();
    assertThat(stats.truncatedTraces()).isEqualTo(1);
    assertThat(stats.truncatedDocuments()).isEqualTo(30);
    assertThat(stats.accepted()).isEqualTo(81);
    assertThat(stats.storedDocuments()).isEqualTo(51);
  }

  @Test
  void aSingleTraceLargerThanTheByteBoundDoesNotStay() {
    long maxBytes = 1024 * 1024;
    TraceStore store = new MemoryTraceStore(100, maxBytes, Integer.MAX_VALUE);
    for (int i = 1; i <= 20_000; i++) {
      store.add(subsegment(1, i, "00000000000000aa", ",\"end_time\":1000.2"));
    }
    StoreStats stats = store.stats();
    assertThat(stats.storedBytes()).isLessThanOrEqualTo(maxBytes / 2);
    assertThat(stats.truncatedDocuments()).isPositive();
    assertThat(stats.storedDocuments() + stats.truncatedDocuments()).isEqualTo(20_000);
    assertThat(store.get("1-5759e988-000000000000000000000001").truncated()).isTrue();
  }

  @Test
  void nonFiniteTimesAreRejectedApartFromMalformedDocuments() {
    TraceStore store = new MemoryTraceStore(100, Long.MAX_VALUE);
    for (String doc : new String[] {
        "{\"name\":\"a\",\"id\":\"0000000000000001\",\"trace_id\":\"1-5759e988-000000000000000000000001\",\"start_time\":1e999,\"end_time\":1}",
        "{\"name\":\"a\",\"id\":\"0000000000000001\",\"trace_id\":\"1-5759e988-000000000000000000000001\",\"start_time\":1,\"end_time\":-1e999}",
        "{\"name\":\"a\",\"id\":\"0000000000000001\",\"trace_id\":\"1-5759e988-000000000000000000000001\",\"start_time\":1,\"end_time\":2,"
            + "\"subsegments\":[{\"name\":\"b\",\"id\":\"0000000000000002\",\"start_time\":1e400,\"end_time\":2}]}"}) {
      assertThatThrownBy(() -> DocumentSummary.parse(doc)).isInstanceOf(NonFiniteTimeException.class)
          .satisfies(e -> store.reject((IllegalArgumentException) e));
    }
    assertThatThrownBy(() -> DocumentSummary.parse("{\"name\":\"a\",\"start_time\":NaN}"))
        .isNotInstanceOf(NonFiniteTimeException.class)
        .satisfies(e -> store.reject((IllegalArgumentException) e));
    StoreStats stats = store.stats();
    assertThat(stats.rejectedNonFinite()).isEqualTo(3);
    assertThat(stats.rejectedMalformed()).isEqualTo(1);
    assertThat(stats.received()).isEqualTo(4);
  }

  @Test
  void utf8LengthCountsBytesNotChars() {
    assertThat(DocumentSummary.utf8Length("abc")).isEqualTo(3);
    assertThat(DocumentSummary.utf8Length("é")).isEqualTo(2);
    assertThat(DocumentSummary.utf8Length("€")).isEqualTo(3);
    assertThat(DocumentSummary.utf8Length("😀")).isEqualTo(4);
    assertThat(DocumentSummary.utf8Length("\ud800x")).isEqualTo(2); // a lone surrogate is encoded as '?'
    String mixed = "aé€😀\ud800";
    assertThat(DocumentSummary.utf8Length(mixed)).isEqualTo(mixed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }
}

package dev.radiograph.daemon.store;

import static dev.radiograph.daemon.store.TraceStoreContract.segment;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the memory store does beyond {@link TraceStoreContract}: its byte bound counts heap bytes,
 * documents replaced by id included; and how a document's UTF-8 size is counted.
 */
class MemoryTraceStoreTest {
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

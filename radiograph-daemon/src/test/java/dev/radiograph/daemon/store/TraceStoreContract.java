package dev.radiograph.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.daemon.query.FilterExpression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TraceStore} does, whichever keeps the traces: documents added and replaced by
 * id, traces found by time and filter newest first, whole traces evicted oldest first past the
 * bounds, everything counted. Each store's test extends this with {@link #newStore}.
 */
abstract class TraceStoreContract {
  private final List<TraceStore> opened = new ArrayList<>();

  /** A new, empty store with these bounds. */
  protected abstract TraceStore newStore(int maxTraces, long maxBytes, int maxTraceDocuments) throws Exception;

  /** A new store with the default per-trace cap, closed after the test. */
  protected final TraceStore store(int maxTraces, long maxBytes) throws Exception {
    return store(maxTraces, maxBytes, MemoryTraceStore.DEFAULT_MAX_TRACE_DOCUMENTS);
  }

  /** A new store, closed after the test. */
  protected final TraceStore store(int maxTraces, long maxBytes, int maxTraceDocuments) throws Exception {
    TraceStore store = newStore(maxTraces, maxBytes, maxTraceDocuments);
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(TraceStore::close);
  }

  static String traceId(int trace) {
    return String.format(Locale.ROOT, "1-5759e988-%024x", trace);
  }

  static String id(int id) {
    return String.format(Locale.ROOT, "%016x", id);
  }

  static String segmentText(int trace, int id, String name, double start, String parent, boolean subsegment) {
    return String.format(Locale.ROOT,
        "{\"name\":\"%s\",\"id\":\"%s\",\"trace_id\":\"%s\",\"start_time\":%.3f,\"end_time\":%.3f%s%s}",
        name, id(id), traceId(trace), start, start + 0.5,
        parent == null ? "" : ",\"parent_id\":\"" + parent + "\"",
        subsegment ? ",\"type\":\"subsegment\"" : "");
  }

  static DocumentSummary segment(int trace, int id, String name, double start, String parent, boolean subsegment) {
    return DocumentSummary.parse(segmentText(trace, id, name, start, parent, subsegment));
  }

  static List<String> texts(StoredTrace trace) {
    List<String> texts = new ArrayList<>();
    for (DocumentSummary d : trace.documents()) {
      texts.add(d.text());
    }
    return texts;
  }

  @Test
  void getGivesTheDocumentsAsReceivedInArrivalOrder() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    String root = segmentText(1, 1, "svc", 1000, null, false);
    String sub = segmentText(1, 2, "sub", 1000.1, id(1), true);
    store.add(DocumentSummary.parse(root));
    store.add(DocumentSummary.parse(sub));
    StoredTrace trace = store.get(traceId(1));
    assertThat(texts(trace)).containsExactly(root, sub);
    assertThat(trace.traceId()).isEqualTo(traceId(1));
    assertThat(trace.root().name()).isEqualTo("svc");
    assertThat(store.get(traceId(2))).isNull();
  }

  @Test
  void aDocumentWithTheSameIdReplacesTheEarlierOneInItsPlace() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    store.add(segment(1, 1, "svc", 1000, null, false));
    store.add(segment(1, 2, "sub", 1000.1, id(1), true));
    String updated = segmentText(1, 1, "svc-updated", 1000, null, false);
    store.add(DocumentSummary.parse(updated));
    StoredTrace trace = store.get(traceId(1));
    assertThat(trace.documents()).extracting(DocumentSummary::name).containsExactly("svc-updated", "sub");
    assertThat(trace.documents().get(0).text()).isEqualTo(updated);
    StoreStats stats = store.stats();
    assertThat(stats.accepted()).isEqualTo(3);
    assertThat(stats.storedDocuments()).isEqualTo(2);
    assertThat(stats.storedTraces()).isEqualTo(1);
  }

  @Test
  void findFiltersByTimeNewestFirst() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    for (int trace = 1; trace <= 5; trace++) {
      store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
    }
    List<StoredTrace> found = store.find(1002, 1004, t -> true);
    assertThat(found).extracting(StoredTrace::traceId).containsExactly(traceId(4), traceId(3), traceId(2));
  }

  @Test
  void findPageIsThatPageOfFindAndCountsEveryMatch() throws Exception {
    TraceStore store = store(1000, Long.MAX_VALUE);
    for (int trace = 1; trace <= 250; trace++) {
      store.add(segment(trace, trace, trace % 3 == 0 ? "billing" : "svc", 1000 + trace, null, false));
    }
    java.util.function.Predicate<StoredTrace> billing = t -> t.services().contains("billing");
    for (java.util.function.Predicate<StoredTrace> filter : List.<java.util.function.Predicate<StoredTrace>>of(t -> true, billing)) {
      List<StoredTrace> all = store.find(1010, 1240, filter);
      for (int skip : new int[] {0, 1, 7, 100, all.size() - 3, all.size(), all.size() + 50}) {
        TraceStore.Page page = store.findPage(1010, 1240, filter, skip, 10);
        int first = Math.min(skip, all.size());
        assertThat(page.matches()).isEqualTo(all.size());
        assertThat(page.traces()).extracting(StoredTrace::traceId)
            .containsExactlyElementsOf(all.subList(first, Math.min(all.size(), first + 10)).stream()
                .map(StoredTrace::traceId).toList());
      }
    }
    assertThat(store.findPage(2000, 1000, t -> true, 0, 10).matches()).isZero();
  }

  @Test
  void findAppliesAFilterExpressionToEachTracesFacts() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    store.add(DocumentSummary.parse("{\"name\":\"orders\",\"id\":\"" + id(1) + "\",\"trace_id\":\"" + traceId(1)
        + "\",\"start_time\":1000,\"end_time\":1001,\"annotations\":{\"customer\":\"alice\"},"
        + "\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://shop/orders/1\"},\"response\":{\"status\":500}},"
        + "\"fault\":true}"));
    store.add(DocumentSummary.parse("{\"name\":\"orders\",\"id\":\"" + id(2) + "\",\"trace_id\":\"" + traceId(2)
        + "\",\"start_time\":1002,\"end_time\":1002.1,\"annotations\":{\"customer\":\"bob\"}}"));
    store.add(segment(2, 3, "billing", 1002.01, id(9), false));
    FilterExpression alice = FilterExpression.parse("annotation.customer = \"alice\" and http.status = 500 and fault");
    assertThat(store.find(0, 2000, alice::matches)).extracting(StoredTrace::traceId).containsExactly(traceId(1));
    FilterExpression billing = FilterExpression.parse("service(\"billing\")");
    List<StoredTrace> found = store.find(0, 2000, billing::matches);
    assertThat(found).extracting(StoredTrace::traceId).containsExactly(traceId(2));
    assertThat(found.get(0).services()).containsExactly("orders", "billing");
    assertThat(found.get(0).annotations()).containsKey("customer");
    assertThat(store.find(0, 2000, FilterExpression.parse("responsetime > 0.5")::matches))
        .extracting(StoredTrace::traceId).containsExactly(traceId(1));
  }

  @Test
  void readRunsAgainstOneViewOfTheStore() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    store.add(segment(1, 1, "svc", 1000, null, false));
    List<String> names = store.read(s -> {
      List<String> result = new ArrayList<>();
      for (StoredTrace found : s.find(0, 2000, t -> true)) {
        result.add(s.get(found.traceId()).documents().get(0).name());
      }
      return result;
    });
    assertThat(names).containsExactly("svc");
  }

  @Test
  void evictsTheOldestWholeTracesPastTheTraceBound() throws Exception {
    TraceStore store = store(3, Long.MAX_VALUE);
    for (int trace = 1; trace <= 5; trace++) {
      store.add(segment(trace, trace * 10, "svc", 1000 + trace, null, false));
      store.add(segment(trace, trace * 10 + 1, "sub", 1000 + trace, id(trace * 10), true));
    }
    StoreStats stats = store.stats();
    assertThat(stats.storedTraces()).isEqualTo(3);
    assertThat(stats.storedDocuments()).isEqualTo(6);
    assertThat(stats.evictedTraces()).isEqualTo(2);
    assertThat(stats.evictedDocuments()).isEqualTo(4);
    assertThat(stats.accepted()).isEqualTo(10);
    assertThat(store.get(traceId(1))).isNull();
    assertThat(store.get(traceId(2))).isNull();
    assertThat(store.get(traceId(5)).documents()).hasSize(2);
    assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId)
        .containsExactly(traceId(5), traceId(4), traceId(3));
  }

  @Test
  void evictsTheOldestWholeTracesPastTheByteBound() throws Exception {
    // What one document weighs is the store's own accounting: measure it, then bound by it.
    TraceStore measure = store(100, Long.MAX_VALUE);
    measure.add(segment(1, 1, "svc", 1000, null, false));
    long weight = measure.stats().storedBytes();
    assertThat(weight).isGreaterThan(segmentText(1, 1, "svc", 1000, null, false).length() / 2);

    TraceStore store = store(1000, weight * 3 + weight / 2);
    for (int trace = 1; trace <= 6; trace++) {
      store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
    }
    StoreStats stats = store.stats();
    assertThat(stats.storedBytes()).isLessThanOrEqualTo(weight * 3 + weight / 2);
    assertThat(stats.storedTraces()).isEqualTo(3);
    assertThat(stats.evictedTraces()).isEqualTo(3);
    assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId)
        .containsExactly(traceId(6), traceId(5), traceId(4));
  }

  @Test
  void aSingleTraceLargerThanTheByteBoundDoesNotStay() throws Exception {
    long maxBytes = 1024 * 1024;
    TraceStore store = store(100, maxBytes, Integer.MAX_VALUE);
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
  void countsWhatArrivedAndWhatBecameOfIt() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    store.add(segment(1, 1, "svc", 1000, null, false));
    store.add(segment(1, 2, "svc", 1000, null, false));
    store.rejectMalformed();
    store.rejectMalformed();
    store.rejectOversize();
    store.rejectOverloaded();
    StoreStats stats = store.stats();
    assertThat(stats.received()).isEqualTo(6);
    assertThat(stats.accepted()).isEqualTo(2);
    assertThat(stats.rejectedMalformed()).isEqualTo(2);
    assertThat(stats.rejectedOversize()).isEqualTo(1);
    assertThat(stats.droppedOverload()).isEqualTo(1);
    assertThat(stats.storedBytes()).isPositive();
  }

  @Test
  void clearRemovesEveryTraceAndKeepsTheCounts() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    for (int trace = 1; trace <= 3; trace++) {
      store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
    }
    store.clear();
    StoreStats stats = store.stats();
    assertThat(stats.storedTraces()).isZero();
    assertThat(stats.storedDocuments()).isZero();
    assertThat(stats.storedBytes()).isZero();
    assertThat(stats.accepted()).isEqualTo(3);
    assertThat(store.find(0, 2000, t -> true)).isEmpty();
    assertThat(store.get(traceId(1))).isNull();
    store.add(segment(1, 7, "again", 1001, null, false));
    assertThat(store.get(traceId(1)).documents()).extracting(DocumentSummary::name).containsExactly("again");
  }

  @Test
  void anEvictedTraceThatArrivesAgainStartsAnew() throws Exception {
    TraceStore store = store(1, Long.MAX_VALUE);
    store.add(segment(1, 1, "first", 1000, null, false));
    store.add(segment(2, 2, "other", 1001, null, false)); // evicts trace 1
    store.add(segment(1, 3, "later", 1002, null, false)); // trace 1 again, evicts trace 2
    assertThat(store.get(traceId(1)).documents()).extracting(DocumentSummary::name).containsExactly("later");
    assertThat(store.get(traceId(2))).isNull();
  }

  @Test
  void awaitAcceptedWaitsForDocumentsAddedByAnotherThread() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    Thread adder = new Thread(() -> {
      for (int trace = 1; trace <= 20; trace++) {
        store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
      }
    });
    adder.start();
    assertThat(store.awaitAccepted(20, Duration.ofSeconds(10))).isTrue();
    adder.join(10_000);
    assertThat(store.stats().accepted()).isEqualTo(20);
    assertThat(store.awaitAccepted(21, Duration.ofMillis(50))).isFalse();
  }

  @Test
  void partialTracesAndRootsAreDerivedFromTheDocuments() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
    store.add(segment(1, 2, "downstream", 1000.1, "00000000000000aa", false));
    StoredTrace before = store.get(traceId(1));
    assertThat(before.isPartial()).as("the caller's segment has not arrived").isTrue();
    store.add(DocumentSummary.parse("{\"name\":\"caller\",\"id\":\"0000000000000001\",\"trace_id\":\"" + traceId(1)
        + "\",\"start_time\":1000.0,\"end_time\":1001.0,\"subsegments\":[{\"name\":\"call\",\"id\":\"00000000000000aa\","
        + "\"start_time\":1000.05,\"end_time\":1000.9,\"namespace\":\"remote\"}]}"));
    assertThat(before.isPartial()).as("a snapshot does not change").isTrue();
    for (StoredTrace trace : List.of(store.get(traceId(1)), store.find(0, 2000, t -> true).get(0))) {
      assertThat(trace.isPartial()).isFalse();
      assertThat(trace.root().name()).isEqualTo("caller");
      assertThat(trace.responseTime()).isEqualTo(1.0);
      assertThat(trace.services()).containsExactly("downstream", "caller");
      assertThat(trace.documents()).flatExtracting(DocumentSummary::remoteCalls)
          .extracting(DocumentSummary.RemoteCall::name).containsExactly("call");
    }
  }

  private static DocumentSummary subsegment(int trace, int id, String parent, String extra) {
    return DocumentSummary.parse(String.format(Locale.ROOT,
        "{\"name\":\"s\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\",\"start_time\":1000.1,"
            + "\"type\":\"subsegment\",\"parent_id\":\"%s\"%s}", id, trace, parent, extra));
  }

  @Test
  void aLateInProgressCopyNeverReplacesTheCompleteDocument() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
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
  void aSnapshotDoesNotChangeWhenDocumentsArriveOrAreReplaced() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
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
  void aTracePastItsDocumentCapIsMarkedTruncatedAndTheRestCounted() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE, 50);
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
  void nonFiniteTimesAreRejectedApartFromMalformedDocuments() throws Exception {
    TraceStore store = store(100, Long.MAX_VALUE);
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
}

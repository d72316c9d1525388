package dev.radiograph.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store keeps the store contract, and what it kept is back after it is closed and
 * opened again on the same directory: documents, their order, replacements, evictions, clears.
 */
class SqliteTraceStoreContractTest extends TraceStoreContract {
  @TempDir
  Path dir;
  private int stores;

  @Override
  protected TraceStore newStore(int maxTraces, long maxBytes, int maxTraceDocuments) throws IOException {
    return SqliteTraceStore.open(dir.resolve("store-" + ++stores), maxTraces, maxBytes, maxTraceDocuments, null);
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void closedAndOpenedAgainItGivesBackEveryTrace() throws Exception {
    Path data = dir.resolve("data");
    List<StoredTrace> before;
    StoreStats statsBefore;
    try (TraceStore store = SqliteTraceStore.open(data, 1000, Long.MAX_VALUE, null)) {
      for (int trace = 1; trace <= 50; trace++) {
        store.add(segment(trace, trace * 10, "svc-" + trace, 1000 + trace, null, false));
        store.add(segment(trace, trace * 10 + 1, "sub", 1000 + trace + 0.1, id(trace * 10), true));
        store.add(segment(trace, trace * 10 + 2, "sub", 1000 + trace + 0.2, id(trace * 10), true));
      }
      store.add(segment(7, 70, "svc-7-updated", 1007, null, false)); // replaces, keeps its place
      before = store.find(0, 2000, t -> true);
      statsBefore = store.stats();
      assertThat(store.get(traceId(7)).documents()).extracting(DocumentSummary::name)
          .containsExactly("svc-7-updated", "sub", "sub");
    }
    try (TraceStore store = SqliteTraceStore.open(data, 1000, Long.MAX_VALUE, null)) {
      StoreStats stats = store.stats();
      assertThat(stats.storedTraces()).isEqualTo(50);
      assertThat(stats.storedDocuments()).isEqualTo(150);
      assertThat(stats.storedBytes()).isEqualTo(statsBefore.storedBytes());
      List<StoredTrace> after = store.find(0, 2000, t -> true);
      assertThat(after).extracting(StoredTrace::traceId)
          .containsExactlyElementsOf(before.stream().map(StoredTrace::traceId).toList());
      for (int trace = 1; trace <= 50; trace++) {
        String name = trace == 7 ? "svc-7-updated" : "svc-" + trace;
        assertThat(texts(store.get(traceId(trace)))).containsExactly(
            segmentText(trace, trace * 10, name, 1000 + trace, null, false),
            segmentText(trace, trace * 10 + 1, "sub", 1000 + trace + 0.1, id(trace * 10), true),
            segmentText(trace, trace * 10 + 2, "sub", 1000 + trace + 0.2, id(trace * 10), true));
        assertThat(store.get(traceId(trace)).root().name()).isEqualTo(name);
      }
      // Oldest first still: past a bound, the traces that arrived first go.
      store.add(segment(51, 510, "svc-51", 1051, null, false));
      assertThat(store.get(traceId(51)).documents()).hasSize(1);
    }
    try (TraceStore store = SqliteTraceStore.open(data, 10, Long.MAX_VALUE, null)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).hasSize(10)
          .startsWith(traceId(51), traceId(50)).endsWith(traceId(42));
      assertThat(store.stats().evictedTraces()).isEqualTo(41);
    }
  }

  @Test
  void aReplacementStillQueuedIsReadOverTheCommittedDocument() throws Exception {
    Path data = dir.resolve("data");
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      store.add(segment(1, 1, "svc", 1000, null, false));
      store.add(segment(1, 2, "sub", 1000.1, id(1), true));
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      // Committed documents, and a replacement and a new one that are (almost surely) still queued.
      store.add(segment(1, 1, "svc-updated", 1000, null, false));
      store.add(segment(1, 3, "sub-2", 1000.2, id(1), true));
      assertThat(store.get(traceId(1)).documents()).extracting(DocumentSummary::name)
          .containsExactly("svc-updated", "sub", "sub-2");
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThat(store.get(traceId(1)).documents()).extracting(DocumentSummary::name)
          .containsExactly("svc-updated", "sub", "sub-2");
    }
  }

  @Test
  void evictedAndClearedTracesDoNotComeBack() throws Exception {
    Path data = dir.resolve("data");
    try (TraceStore store = SqliteTraceStore.open(data, 2, Long.MAX_VALUE, null)) {
      for (int trace = 1; trace <= 4; trace++) {
        store.add(segment(trace, trace, "svc", 1000 + trace, null, false));
      }
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId)
          .containsExactly(traceId(4), traceId(3));
      store.clear();
      store.add(segment(5, 5, "after-clear", 1005, null, false));
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).containsExactly(traceId(5));
    }
  }

  @Test
  void tracesOlderThanTheRetentionAreDeletedOldestFirst() throws Exception {
    Path data = dir.resolve("data");
    TestClock clock = new TestClock();
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, Duration.ofHours(24), clock)) {
      store.add(segment(1, 1, "svc", 1001, null, false));
      clock.advance(Duration.ofHours(12));
      store.add(segment(2, 2, "svc", 1002, null, false));
      store.add(segment(1, 3, "sub", 1001.1, id(1), true)); // a trace ages from its first arrival
      clock.advance(Duration.ofHours(13));
      store.add(segment(3, 3, "svc", 1003, null, false));
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId)
          .containsExactly(traceId(3), traceId(2));
      assertThat(store.stats().evictedDocuments()).isEqualTo(2);
    }
    clock.advance(Duration.ofHours(12)); // trace 2 first arrived 37 h ago, trace 3 12 h ago
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, Duration.ofHours(24), clock)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).containsExactly(traceId(3));
    }
  }

  @Test
  void aStoreNothingArrivesAtStillAges() throws Exception {
    TestClock clock = new TestClock();
    try (TraceStore store = SqliteTraceStore.open(dir.resolve("data"), 100, Long.MAX_VALUE, Duration.ofMinutes(90),
        clock)) {
      store.add(segment(1, 1, "svc", 1001, null, false));
      clock.advance(Duration.ofMinutes(91));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // checked about once a second
      while (store.stats().storedTraces() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(store.stats().storedTraces()).isZero();
      assertThat(store.stats().evictedTraces()).isEqualTo(1);
    }
  }

  @Test
  void aDocumentTheDiskCannotTakeInTimeIsDroppedAndCountedNeverKeptInMemoryOnly() throws Exception {
    Path data = dir.resolve("data");
    DocumentSummary small = segment(1, 1, "svc", 1001, null, false);
    String big = segmentText(2, 2, "x".repeat(2000), 1002, null, false);
    // A queue that takes one small document and never a big one.
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null, Clock.systemUTC(),
        small.text().length() + 100)) {
      store.add(DocumentSummary.parse(big));
      store.add(small);
      StoreStats stats = store.stats();
      assertThat(stats.received()).isEqualTo(2);
      assertThat(stats.accepted()).isEqualTo(1);
      assertThat(stats.droppedOverload()).isEqualTo(1);
      assertThat(store.get(traceId(2))).isNull();
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).containsExactly(traceId(1));
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).containsExactly(traceId(1));
    }
  }

  @Test
  void aDirectoryIsUsedByOneStoreAtATime() throws Exception {
    Path data = dir.resolve("data");
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThatThrownBy(() -> SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(data.toString()).hasMessageContaining("in use by another Radiograph daemon");
      assertThat(store.description()).isEqualTo("sqlite " + data);
    }
    SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null).close(); // released when closed
  }

  @Test
  void aDatabaseOfANewerSchemaOrAnUnusableDirectoryIsRefusedSayingWhy() throws Exception {
    Path data = dir.resolve("data");
    SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("traces.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null))
        .isInstanceOf(IOException.class).hasMessageContaining("newer Radiograph daemon").hasMessageContaining("99");
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    assertThatThrownBy(() -> SqliteTraceStore.open(file, 100, Long.MAX_VALUE, null))
        .isInstanceOf(IOException.class).hasMessageContaining("cannot create the data directory");
  }

  @Test
  void documentsThatCannotBeReadAnyMoreAreLeftOutAtStartUp() throws Exception {
    Path data = dir.resolve("data");
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      store.add(segment(1, 1, "svc", 1001, null, false));
      store.add(segment(2, 2, "svc", 1002, null, false));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("traces.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE documents SET text = CAST('{\"not\":' AS BLOB) WHERE seq = (SELECT MIN(seq) FROM documents)");
    }
    try (TraceStore store = SqliteTraceStore.open(data, 100, Long.MAX_VALUE, null)) {
      assertThat(store.find(0, 2000, t -> true)).extracting(StoredTrace::traceId).containsExactly(traceId(2));
      assertThat(store.stats().storedDocuments()).isEqualTo(1);
    }
  }
}

package dev.radiograph.daemon.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * A {@link TraceStore} that keeps its documents in a SQLite database in a directory
 * ({@code --data DIR}), so traces survive a restart or {@code kill -9}: every document accepted
 * is on disk within about {@value TraceDatabase#COMMIT_INTERVAL_MILLIS} ms. Bounded by a number
 * of traces, by the bytes of the documents stored, and optionally by age ({@code --retention}):
 * past any bound the oldest whole traces (by first arrival) are deleted.
 *
 * <pre>{@code
 * try (TraceStore store = SqliteTraceStore.open(Path.of("traces"), 10_000, 1L << 30, Duration.ofDays(1))) {
 *   store.add(DocumentSummary.parse(json));
 * }
 * }</pre>
 *
 * <p>RATIONALE: queries must stay as fast as the memory store's, so what they filter and summarise
 * on stays in memory: each document's facts ({@link DocumentSummary} without its text), in one
 * {@link TraceLog} per trace, rebuilt at start-up by parsing the stored documents again. The
 * {@link TraceLog} decides what is kept exactly as in {@link MemoryTraceStore} (a late in-progress
 * copy never replaces a complete document; past {@code maxTraceDocuments} the trace is truncated),
 * and only what it keeps is written. Only the documents' text lives on disk, read back when a whole
 * trace is asked for ({@link #get}). {@link #find} therefore returns snapshots whose documents have
 * an empty {@link DocumentSummary#text()}. Readers take no lock of the store's: the indexes they walk
 * are concurrent maps of immutable snapshots, and {@link #get} reads the disk outside the lock
 * ingest takes.
 */
public final class SqliteTraceStore implements TraceStore {
  /** Bytes a stored document costs beyond its text: its row, ids and index entries. */
  static final int ROW_OVERHEAD_BYTES = 96;

  private final TraceDatabase database;
  private final int maxTraces;
  private final long maxBytes;
  private final int maxTraceDocuments;
  private final long maxTraceBytes;
  private final Duration retention; // null: no age bound
  private final Clock clock;
  private final IngestCounters counters = new IngestCounters();
  private final Object writeLock = new Object();

  // Read without the lock.
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<TraceLog.TimeKey, Entry> byStart = new ConcurrentSkipListMap<>();
  // Guarded by writeLock.
  private final LinkedHashMap<String, Entry> arrival = new LinkedHashMap<>();
  private long nextSeq;
  private boolean closed;
  // Written under writeLock, read by stats() without it.
  private volatile long bytes;
  private volatile long documents;
  private volatile long evictedTraces;
  private volatile long evictedDocuments;
  private volatile long truncatedTraces;

  /** Where a document is stored: its row, and what it costs there. */
  private record Row(long seq, int bytes) {}

  /** One trace in memory: its facts, when it first arrived, and the row of each document. */
  private static final class Entry {
    final long firstSeq;
    final long firstReceivedMillis;
    final TraceLog log;
    final Map<String, Row> rows = new HashMap<>(); // guarded by writeLock
    long bytes; // guarded by writeLock

    Entry(String traceId, long firstSeq, long firstReceivedMillis) {
      this.firstSeq = firstSeq;
      this.firstReceivedMillis = firstReceivedMillis;
      this.log = new TraceLog(traceId);
    }
  }

  private SqliteTraceStore(TraceDatabase database, int maxTraces, long maxBytes, int maxTraceDocuments,
      Duration retention, Clock clock) {
    this.database = database;
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
    this.maxTraceDocuments = maxTraceDocuments;
    this.maxTraceBytes = maxBytes / 2;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Opens the store in {@code directory} (created if missing), with the traces kept there before,
   * and the default per-trace cap ({@link MemoryTraceStore#DEFAULT_MAX_TRACE_DOCUMENTS}).
   *
   * @param retention how long a trace is kept after it first arrived, or null for as long as the
   *     other bounds allow
   * @throws IOException when the directory cannot be used (unwritable, in use by another daemon,
   *     a database this version cannot read), saying why
   */
  public static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention)
      throws IOException {
    return open(directory, maxTraces, maxBytes, MemoryTraceStore.DEFAULT_MAX_TRACE_DOCUMENTS, retention);
  }

  /**
   * As {@link #open(Path, int, long, Duration)}, with the documents one trace may hold
   * ({@code --max-trace-documents}); a trace may also hold at most half of {@code maxBytes}.
   */
  public static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, int maxTraceDocuments,
      Duration retention) throws IOException {
    return open(directory, maxTraces, maxBytes, maxTraceDocuments, retention, Clock.systemUTC(),
        TraceDatabase.QUEUE_BYTES);
  }

  /** As {@link #open(Path, int, long, Duration)}, with the clock that retention reads. */
  static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention, Clock clock)
      throws IOException {
    return open(directory, maxTraces, maxBytes, retention, clock, TraceDatabase.QUEUE_BYTES);
  }

  /** As above, with the bytes of documents that may wait for the disk before more are dropped. */
  static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention, Clock clock,
      long queueBytes) throws IOException {
    return open(directory, maxTraces, maxBytes, MemoryTraceStore.DEFAULT_MAX_TRACE_DOCUMENTS, retention, clock,
        queueBytes);
  }

  static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, int maxTraceDocuments,
      Duration retention, Clock clock, long queueBytes) throws IOException {
    if (maxTraces < 1 || maxBytes < 1 || maxTraceDocuments < 1) {
      throw new IllegalArgumentException("store bounds must be positive");
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    TraceDatabase database = TraceDatabase.open(directory, queueBytes);
    SqliteTraceStore store = new SqliteTraceStore(database, maxTraces, maxBytes, maxTraceDocuments, retention,
        clock);
    try {
      store.load();
    } catch (IOException | RuntimeException e) {
      database.close();
      throw e;
    }
    database.start(store::expire);
    return store;
  }

  private void load() throws IOException {
    synchronized (writeLock) {
      database.load((seq, traceSeq, receivedMillis, utf8) -> {
        DocumentSummary document;
        try {
          document = DocumentSummary.parse(utf8, 0, utf8.length).withoutText();
        } catch (RuntimeException | StackOverflowError e) {
          return false; // deleted, and counted in the log, by the database
        }
        Entry entry = arrival.get(document.traceId());
        if (entry == null) {
          entry = new Entry(document.traceId(), traceSeq, receivedMillis);
          arrival.put(document.traceId(), entry);
          byId.put(document.traceId(), entry);
        }
        if (entry.firstSeq != traceSeq || entry.log.indexOf(document.id()) >= 0) {
          return false; // not the trace's rows as this store writes them: left out
        }
        if (admit(entry, document, utf8.length) != TraceLog.Outcome.APPENDED) {
          return false; // over a cap smaller than when it was stored
        }
        TraceLog.TimeKey key = entry.log.key();
        entry.log.put(document, maxTraceDocuments, Long.MAX_VALUE);
        stored(entry, key, document.id(), seq, utf8.length);
        return true;
      });
      for (Iterator<Entry> i = arrival.values().iterator(); i.hasNext(); ) {
        Entry entry = i.next();
        if (entry.log.size() == 0) { // every row of it was left out
          i.remove();
          byId.remove(entry.log.traceId);
        }
      }
      nextSeq = database.lastSeq() + 1;
      // The bounds may be smaller than when these were stored.
      evictExpired();
      evictIfNeeded(null);
    }
  }

  /**
   * What the trace's log decides for the document, with the per-trace byte cap (half of
   * {@code maxBytes}) counted as this store counts bytes: on disk, not on the heap.
   */
  private TraceLog.Outcome admit(Entry entry, DocumentSummary facts, int textBytes) {
    TraceLog.Outcome outcome = entry.log.admit(facts, maxTraceDocuments, Long.MAX_VALUE);
    if (outcome.kept()) {
      Row previous = entry.rows.get(facts.id());
      long after = entry.bytes + textBytes + ROW_OVERHEAD_BYTES - (previous == null ? 0 : previous.bytes());
      if (after > maxTraceBytes) {
        return TraceLog.Outcome.TRUNCATED;
      }
    }
    return outcome;
  }

  /** Counts a document its trace kept, stored in row {@code seq}, and moves the trace's start key; under the lock. */
  private void stored(Entry entry, TraceLog.TimeKey keyBefore, String documentId, long seq, int textBytes) {
    int size = textBytes + ROW_OVERHEAD_BYTES;
    Row previous = entry.rows.put(documentId, new Row(seq, size));
    int delta = size - (previous == null ? 0 : previous.bytes());
    entry.bytes += delta;
    bytes += delta;
    if (previous == null) {
      documents++;
    }
    if (entry.log.key() != keyBefore) {
      if (keyBefore != null) {
        byStart.remove(keyBefore);
      }
      byStart.put(entry.log.key(), entry);
    }
  }

  @Override
  public void add(DocumentSummary document) {
    // Counted received when its fate is counted: a drop below counts both.
    byte[] utf8 = document.utf8();
    DocumentSummary facts = document.withoutText();
    synchronized (writeLock) {
      if (closed) {
        counters.overloaded();
        return;
      }
      Entry entry = arrival.get(document.traceId());
      long now = clock.millis();
      Entry trace = entry != null ? entry : new Entry(document.traceId(), nextSeq, now);
      boolean wasTruncated = trace.log.truncated();
      TraceLog.Outcome outcome = admit(trace, facts, utf8.length);
      if (outcome.kept()) {
        Row replaced = trace.rows.get(document.id());
        long seq = replaced != null ? replaced.seq() : nextSeq; // a replacement keeps its row and place
        if (!database.offer(new TraceDatabase.Put(seq, trace.firstSeq, document.traceId(), document.id(), now, utf8,
            System.nanoTime()))) {
          counters.overloaded();
          return;
        }
        if (replaced == null) {
          nextSeq++;
        }
        if (entry == null) {
          arrival.put(document.traceId(), trace);
          byId.put(document.traceId(), trace);
        }
        TraceLog.TimeKey key = trace.log.key();
        trace.log.put(facts, maxTraceDocuments, Long.MAX_VALUE); // the byte cap was applied by admit
        stored(trace, key, document.id(), seq, utf8.length);
        evictExpired(); // also done once a second, so that a store nothing arrives at still ages
        evictIfNeeded(trace);
      } else if (outcome == TraceLog.Outcome.TRUNCATED) {
        if (!wasTruncated) {
          truncatedTraces++;
        }
        trace.log.markTruncated();
        counters.truncated();
      }
    }
    counters.received();
    counters.accepted();
  }

  private void evictIfNeeded(Entry keep) {
    Iterator<Entry> oldest = arrival.values().iterator();
    while ((arrival.size() > maxTraces || bytes > maxBytes) && oldest.hasNext()) {
      Entry victim = oldest.next();
      if (arrival.size() == 1 && (keep == null || victim == keep)) {
        break; // a single trace larger than the bound is kept until another arrives
      }
      if (victim == keep) {
        continue; // never the trace just written to
      }
      oldest.remove();
      evict(victim);
    }
  }

  /** Deletes the traces that first arrived longer ago than the retention; runs about once a second. */
  private void expire() {
    synchronized (writeLock) {
      evictExpired();
    }
  }

  private void evictExpired() {
    if (retention == null) {
      return;
    }
    long cutoff = clock.millis() - retention.toMillis();
    Iterator<Entry> oldest = arrival.values().iterator();
    while (oldest.hasNext()) {
      Entry candidate = oldest.next();
      if (candidate.firstReceivedMillis >= cutoff) {
        break; // first-arrival order: every later trace is younger
      }
      oldest.remove();
      evict(candidate);
    }
  }

  /** Forgets a trace already taken out of the arrival order, and deletes it from disk; under the lock. */
  private void evict(Entry victim) {
    byId.remove(victim.log.traceId);
    if (victim.log.key() != null) {
      byStart.remove(victim.log.key());
    }
    bytes -= victim.bytes;
    documents -= victim.rows.size();
    evictedTraces++;
    evictedDocuments += victim.rows.size();
    database.deleteTrace(victim.log.traceId, victim.firstSeq);
  }

  @Override
  public void rejectMalformed() {
    counters.malformed();
  }

  @Override
  public void rejectNonFinite() {
    counters.nonFinite();
  }

  @Override
  public void rejectOverloaded() {
    counters.overloaded();
  }

  @Override
  public void rejectOversize() {
    counters.oversize();
  }

  /** A snapshot of the trace with its documents' text, read from disk, or null. */
  @Override
  public StoredTrace get(String traceId) {
    Entry entry = byId.get(traceId);
    if (entry == null) {
      return null;
    }
    // The disk holds exactly what the trace's log kept, in first-arrival order, so the documents
    // go straight in; the caps were applied when they arrived.
    TraceLog withText = new TraceLog(traceId);
    for (byte[] utf8 : database.read(traceId, entry.firstSeq)) {
      withText.put(DocumentSummary.parse(utf8, 0, utf8.length), Integer.MAX_VALUE, Long.MAX_VALUE);
    }
    if (withText.size() == 0) {
      return null; // evicted meanwhile
    }
    if (entry.log.truncated()) {
      withText.markTruncated();
    }
    return withText.published();
  }

  @Override
  public List<StoredTrace> find(double from, double to, Predicate<StoredTrace> filter) {
    return TraceLog.find(byStart, entry -> entry.log, from, to, filter);
  }

  @Override
  public Page findPage(double from, double to, Predicate<StoredTrace> filter, int skip, int limit) {
    return TraceLog.findPage(byStart, entry -> entry.log, from, to, filter, skip, limit);
  }

  @Override
  public StoreStats stats() {
    return counters.stats(truncatedTraces, evictedTraces, evictedDocuments, byId.size(), documents, bytes);
  }

  @Override
  public boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    return counters.awaitAccepted(count, timeout);
  }

  @Override
  public void clear() {
    synchronized (writeLock) {
      arrival.clear();
      byId.clear();
      byStart.clear();
      bytes = 0;
      documents = 0;
      database.deleteAll();
    }
  }

  @Override
  public String description() {
    return "sqlite " + database.file().getParent();
  }

  /** Writes what is still queued, then closes the database; documents arriving later are dropped. */
  @Override
  public void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    database.close();
  }
}

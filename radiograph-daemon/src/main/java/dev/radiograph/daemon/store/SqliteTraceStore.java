package dev.radiograph.daemon.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * {@link StoredTrace} per trace, rebuilt at start-up by parsing the stored documents again. Only
 * the documents' text lives on disk, read back when a whole trace is asked for ({@link #get}).
 * {@link #find} therefore returns traces whose documents have an empty {@link DocumentSummary#text()}.
 */
public final class SqliteTraceStore implements TraceStore {
  /** Bytes a stored document costs beyond its text: its row, ids and index entries. */
  static final int ROW_OVERHEAD_BYTES = 96;

  private final TraceDatabase database;
  private final int maxTraces;
  private final long maxBytes;
  private final Duration retention; // null: no age bound
  private final Clock clock;
  private final IngestCounters counters = new IngestCounters();

  // Guarded by this.
  private final LinkedHashMap<String, Entry> traces = new LinkedHashMap<>();
  private long nextSeq;
  private long bytes;
  private long documents;
  private long evictedTraces;
  private long evictedDocuments;
  private boolean closed;

  /** Where a document is stored: its row, and what it costs there. */
  private record Row(long seq, int bytes) {}

  /** One trace in memory: its facts, when it first arrived, and the row of each document. */
  private static final class Entry {
    final long firstSeq;
    final long firstReceivedMillis;
    final StoredTrace facts;
    final Map<String, Row> rows = new HashMap<>();
    long bytes;

    Entry(String traceId, long firstSeq, long firstReceivedMillis) {
      this.firstSeq = firstSeq;
      this.firstReceivedMillis = firstReceivedMillis;
      this.facts = new StoredTrace(traceId, System.nanoTime());
    }
  }

  private SqliteTraceStore(TraceDatabase database, int maxTraces, long maxBytes, Duration retention, Clock clock) {
    this.database = database;
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Opens the store in {@code directory} (created if missing), with the traces kept there before.
   *
   * @param retention how long a trace is kept after it first arrived, or null for as long as the
   *     other bounds allow
   * @throws IOException when the directory cannot be used (unwritable, in use by another daemon,
   *     a database this version cannot read), saying why
   */
  public static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention)
      throws IOException {
    return open(directory, maxTraces, maxBytes, retention, Clock.systemUTC());
  }

  /** As {@link #open(Path, int, long, Duration)}, with the clock that retention reads. */
  static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention, Clock clock)
      throws IOException {
    return open(directory, maxTraces, maxBytes, retention, clock, TraceDatabase.QUEUE_BYTES);
  }

  /** As above, with the bytes of documents that may wait for the disk before more are dropped. */
  static SqliteTraceStore open(Path directory, int maxTraces, long maxBytes, Duration retention, Clock clock,
      long queueBytes) throws IOException {
    if (maxTraces < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("store bounds must be positive");
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    TraceDatabase database = TraceDatabase.open(directory, queueBytes);
    SqliteTraceStore store = new SqliteTraceStore(database, maxTraces, maxBytes, retention, clock);
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
    synchronized (this) {
      database.load((seq, traceSeq, receivedMillis, utf8) -> {
        DocumentSummary document;
        try {
          document = DocumentSummary.parse(utf8, 0, utf8.length);
        } catch (RuntimeException | StackOverflowError e) {
          return false; // deleted, and counted in the log, by the database
        }
        Entry entry = traces.computeIfAbsent(document.traceId(), t -> new Entry(t, traceSeq, receivedMillis));
        if (entry.firstSeq != traceSeq || entry.rows.containsKey(document.id())) {
          return false; // not the trace's rows as this store writes them: left out
        }
        store(entry, document, seq, utf8.length);
        return true;
      });
      nextSeq = database.lastSeq() + 1;
      // The bounds may be smaller than when these were stored.
      evictExpired();
      evictIfNeeded(null);
    }
  }

  /** Puts a document's facts into its trace and counts its size; under the lock. */
  private void store(Entry entry, DocumentSummary document, long seq, int textBytes) {
    entry.facts.put(document.withoutText());
    int size = textBytes + ROW_OVERHEAD_BYTES;
    Row previous = entry.rows.put(document.id(), new Row(seq, size));
    int delta = size - (previous == null ? 0 : previous.bytes());
    entry.bytes += delta;
    bytes += delta;
    if (previous == null) {
      documents++;
    }
  }

  @Override
  public void add(DocumentSummary document) {
    counters.received();
    byte[] utf8 = document.text().getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      Entry entry = traces.get(document.traceId());
      Row replaced = entry == null ? null : entry.rows.get(document.id());
      long seq = replaced != null ? replaced.seq() : nextSeq; // a replacement keeps its row and place
      long traceSeq = entry != null ? entry.firstSeq : seq;
      long now = clock.millis();
      if (closed
          || !database.offer(new TraceDatabase.Put(seq, traceSeq, document.traceId(), document.id(), now, utf8,
              System.nanoTime()))) {
        counters.overloaded();
        return;
      }
      if (replaced == null) {
        nextSeq++;
      }
      if (entry == null) {
        entry = new Entry(document.traceId(), seq, now);
        traces.put(document.traceId(), entry);
      }
      store(entry, document, seq, utf8.length);
      evictExpired(); // also done once a second, so that a store nothing arrives at still ages
      evictIfNeeded(entry);
    }
    counters.accepted();
  }

  private void evictIfNeeded(Entry keep) {
    Iterator<Entry> oldest = traces.values().iterator();
    while ((traces.size() > maxTraces || bytes > maxBytes) && oldest.hasNext()) {
      Entry victim = oldest.next();
      if (traces.size() == 1 && (keep == null || victim == keep)) {
        break; // a single trace larger than the bound is kept until another arrives
      }
      oldest.remove();
      evict(victim);
    }
  }

  /** Deletes the traces that first arrived longer ago than the retention; runs about once a second. */
  private synchronized void expire() {
    evictExpired();
  }

  private void evictExpired() {
    if (retention == null) {
      return;
    }
    long cutoff = clock.millis() - retention.toMillis();
    Iterator<Entry> oldest = traces.values().iterator();
    while (oldest.hasNext()) {
      Entry candidate = oldest.next();
      if (candidate.firstReceivedMillis >= cutoff) {
        break; // first-arrival order: every later trace is younger
      }
      oldest.remove();
      evict(candidate);
    }
  }

  private void evict(Entry victim) {
    bytes -= victim.bytes;
    documents -= victim.rows.size();
    evictedTraces++;
    evictedDocuments += victim.rows.size();
    database.deleteTrace(victim.facts.traceId(), victim.firstSeq);
  }

  @Override
  public void rejectMalformed() {
    counters.received();
    counters.malformed();
  }

  @Override
  public void rejectOverloaded() {
    counters.received();
    counters.overloaded();
  }

  @Override
  public void rejectOversize() {
    counters.received();
    counters.oversize();
  }

  /** The trace with its documents' text, read from disk, or null. */
  @Override
  public StoredTrace get(String traceId) {
    long traceSeq;
    synchronized (this) {
      Entry entry = traces.get(traceId);
      if (entry == null) {
        return null;
      }
      traceSeq = entry.firstSeq;
    }
    StoredTrace trace = new StoredTrace(traceId, System.nanoTime());
    for (byte[] utf8 : database.read(traceId, traceSeq)) {
      trace.put(DocumentSummary.parse(utf8, 0, utf8.length));
    }
    return trace;
  }

  @Override
  public synchronized <T> T read(Function<TraceStore, T> reader) {
    return reader.apply(this);
  }

  @Override
  public synchronized List<StoredTrace> find(double from, double to, Predicate<StoredTrace> filter) {
    List<StoredTrace> result = new ArrayList<>();
    for (Entry entry : traces.values()) {
      StoredTrace trace = entry.facts;
      double start = trace.startTime();
      if (start >= from && start <= to && filter.test(trace)) {
        result.add(trace);
      }
    }
    result.sort((a, b) -> Double.compare(b.startTime(), a.startTime()));
    return result;
  }

  @Override
  public synchronized StoreStats stats() {
    return counters.stats(evictedTraces, evictedDocuments, traces.size(), documents, bytes);
  }

  @Override
  public boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    return counters.awaitAccepted(count, timeout);
  }

  @Override
  public synchronized void clear() {
    traces.clear();
    bytes = 0;
    documents = 0;
    database.deleteAll();
  }

  @Override
  public String description() {
    return "sqlite " + database.file().getParent();
  }

  /** Writes what is still queued, then closes the database; documents arriving later are dropped. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    database.close();
  }
}

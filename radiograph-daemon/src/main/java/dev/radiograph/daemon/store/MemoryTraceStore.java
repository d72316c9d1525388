package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The default {@link TraceStore}: the daemon's traces, in memory, bounded by a number of traces
 * and of heap bytes (counted as the JVM lays objects out, see {@link HeapSize}): when either
 * bound is passed, the oldest whole traces (by first arrival) are evicted, never single
 * documents. One trace may hold at most {@code maxTraceDocuments} documents and half the byte
 * bound; past that it is marked truncated and its further documents are counted, not kept, so
 * no trace can outgrow the store.
 *
 * <p>RATIONALE: writers (the UDP ingest thread, PutTraceSegments) take one lock among
 * themselves; readers take none. Each trace publishes an immutable {@link StoredTrace} per
 * change, and the indexes readers walk (by id, by start time) are concurrent maps, so a query
 * of any size never makes ingest wait, and ingest never changes what a query is reading.
 */
public final class MemoryTraceStore implements TraceStore {
  /** The default per-trace cap on documents ({@code --max-trace-documents}). */
  public static final int DEFAULT_MAX_TRACE_DOCUMENTS = 100_000;

  private final int maxTraces;
  private final long maxBytes;
  private final int maxTraceDocuments;
  private final long maxTraceBytes;
  private final Object writeLock = new Object();
  private final Map<String, TraceLog> byId = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<TraceLog.TimeKey, TraceLog> byStart = new ConcurrentSkipListMap<>();
  private final ArrayDeque<TraceLog> arrival = new ArrayDeque<>(); // guarded by writeLock
  // Written under writeLock, read by stats() without it.
  private volatile long bytes;
  private volatile long documents;
  private volatile long evictedTraces;
  private volatile long evictedDocuments;
  private volatile long truncatedTraces;
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejectedMalformed = new LongAdder();
  private final LongAdder rejectedOversize = new LongAdder();
  private final LongAdder rejectedNonFinite = new LongAdder();
  private final LongAdder droppedOverload = new LongAdder();
  private final LongAdder truncatedDocuments = new LongAdder();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Object changed = new Object();

  /** A store with the default per-trace cap. */
  public MemoryTraceStore(int maxTraces, long maxBytes) {
    this(maxTraces, maxBytes, DEFAULT_MAX_TRACE_DOCUMENTS);
  }

  public MemoryTraceStore(int maxTraces, long maxBytes, int maxTraceDocuments) {
    if (maxTraces < 1 || maxBytes < 1 || maxTraceDocuments < 1) {
      throw new IllegalArgumentException("store bounds must be positive");
    }
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
    this.maxTraceDocuments = maxTraceDocuments;
    this.maxTraceBytes = maxBytes / 2;
  }

  @Override
  public void rejectMalformed() {
    received.increment();
    rejectedMalformed.increment();
  }

  @Override
  public void rejectNonFinite() {
    received.increment();
    rejectedNonFinite.increment();
  }

  @Override
  public void rejectOverloaded() {
    received.increment();
    droppedOverload.increment();
  }

  @Override
  public void rejectOversize() {
    received.increment();
    rejectedOversize.increment();
  }

  @Override
  public void add(DocumentSummary document) {
    received.increment();
    synchronized (writeLock) {
      TraceLog trace = byId.get(document.traceId);
      if (trace == null) {
        trace = new TraceLog(document.traceId);
        byId.put(document.traceId, trace);
        arrival.addLast(trace);
        bytes += trace.weight();
      }
      long before = trace.weight();
      TraceLog.TimeKey key = trace.key();
      put(trace, document);
      bytes += trace.weight() - before;
      if (trace.size() == 0) { // its first document was over the cap on its own
        byId.remove(trace.traceId);
        arrival.removeLast();
        bytes -= trace.weight();
      } else if (trace.key() != key) {
        if (key != null) {
          byStart.remove(key);
        }
        byStart.put(trace.key(), trace);
      }
      evictIfNeeded(trace);
    }
    accepted.increment();
    if (waiters.get() > 0) {
      synchronized (changed) {
        changed.notifyAll();
      }
    }
  }

  /** Adds or replaces the document in its trace, within the trace's cap. */
  private void put(TraceLog trace, DocumentSummary document) {
    int at = trace.indexOf(document.id);
    if (at >= 0) {
      DocumentSummary previous = trace.document(at);
      if (!previous.inProgress && document.inProgress) {
        return; // a late in-progress copy: the complete document stays
      }
      if (trace.weight() + document.weight() - previous.weight() > maxTraceBytes) {
        truncate(trace);
        return;
      }
      trace.replace(at, document);
      return;
    }
    if (trace.size() >= maxTraceDocuments || trace.weight() + document.weight() > maxTraceBytes) {
      truncate(trace);
      return;
    }
    trace.append(document);
    documents++;
  }

  private void truncate(TraceLog trace) {
    if (!trace.truncated()) {
      truncatedTraces++;
    }
    trace.markTruncated();
    truncatedDocuments.increment();
  }

  /** Evicts the oldest traces while a bound is passed; never the one just written to. */
  private void evictIfNeeded(TraceLog keep) {
    boolean keptOldest = false;
    while ((byId.size() > maxTraces || bytes > maxBytes) && !arrival.isEmpty()) {
      TraceLog victim = arrival.pollFirst();
      if (victim == keep) {
        keptOldest = true;
        continue;
      }
      remove(victim);
      evictedTraces++;
      evictedDocuments += victim.size();
    }
    if (keptOldest) {
      arrival.addFirst(keep);
    }
  }

  private void remove(TraceLog trace) {
    byId.remove(trace.traceId);
    if (trace.key() != null) {
      byStart.remove(trace.key());
    }
    bytes -= trace.weight();
    documents -= trace.size();
  }

  @Override
  public StoredTrace get(String traceId) {
    TraceLog trace = byId.get(traceId);
    return trace == null ? null : trace.published();
  }

  @Override
  public List<StoredTrace> find(double from, double to, Predicate<StoredTrace> filter) {
    List<StoredTrace> result = new ArrayList<>();
    if (!(from <= to)) {
      return result;
    }
    // Ascending, then reversed: a skip list walks forwards in constant time per entry, backwards
    // in a search per entry.
    for (Map.Entry<TraceLog.TimeKey, TraceLog> e : byStart.subMap(
        new TraceLog.TimeKey(from, ""), true, new TraceLog.TimeKey(to, "\uffff"), true).entrySet()) {
      TraceLog trace = e.getValue();
      StoredTrace snapshot = trace.published();
      // An entry whose trace moved to another key meanwhile is read at its new key (or missed).
      if (snapshot != null && trace.key() == e.getKey() && filter.test(snapshot)) {
        result.add(snapshot);
      }
    }
    Collections.reverse(result);
    return result;
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(received.sum(), accepted.sum(), rejectedMalformed.sum(), rejectedOversize.sum(),
        rejectedNonFinite.sum(), droppedOverload.sum(), truncatedTraces, truncatedDocuments.sum(),
        evictedTraces, evictedDocuments, byId.size(), documents, bytes);
  }

  @Override
  public boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    waiters.incrementAndGet();
    try {
      synchronized (changed) {
        while (accepted.sum() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          changed.wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
      }
    } finally {
      waiters.decrementAndGet();
    }
    return true;
  }

  @Override
  public void clear() {
    synchronized (writeLock) {
      byId.clear();
      byStart.clear();
      arrival.clear();
      bytes = 0;
      documents = 0;
    }
  }
}

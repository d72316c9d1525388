package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
  private final IngestCounters counters = new IngestCounters();

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

  @Override
  public void add(DocumentSummary document) {
    counters.received();
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
    counters.accepted();
  }

  /** Adds or replaces the document in its trace, within the trace's cap. */
  private void put(TraceLog trace, DocumentSummary document) {
    boolean wasTruncated = trace.truncated();
    TraceLog.Outcome outcome = trace.put(document, maxTraceDocuments, maxTraceBytes);
    if (outcome == TraceLog.Outcome.APPENDED) {
      documents++;
    } else if (outcome == TraceLog.Outcome.TRUNCATED) {
      if (!wasTruncated) {
        truncatedTraces++;
      }
      counters.truncated();
    }
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
    return TraceLog.find(byStart, trace -> trace, from, to, filter);
  }

  @Override
  public Page findPage(double from, double to, Predicate<StoredTrace> filter, int skip, int limit) {
    return TraceLog.findPage(byStart, trace -> trace, from, to, filter, skip, limit);
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
      byId.clear();
      byStart.clear();
      arrival.clear();
      bytes = 0;
      documents = 0;
    }
  }
}

package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The default {@link TraceStore}: the daemon's traces, in memory, bounded by a number of traces and of bytes: when either bound
 * is passed, the oldest whole traces (by first arrival) are evicted, never single documents, so
 * every trace shown is complete as received. One lock guards the map: writes come from one UDP
 * thread and the API, reads from queries; each holds it for microseconds.
 */
public final class MemoryTraceStore implements TraceStore {
  private final int maxTraces;
  private final long maxBytes;
  private final LinkedHashMap<String, StoredTrace> traces = new LinkedHashMap<>();
  private long bytes;
  private long documents;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejectedMalformed = new AtomicLong();
  private final AtomicLong rejectedOversize = new AtomicLong();
  private final AtomicLong droppedOverload = new AtomicLong();
  private long evictedTraces;
  private long evictedDocuments;
  private final Object changed = new Object();

  public MemoryTraceStore(int maxTraces, long maxBytes) {
    if (maxTraces < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("store bounds must be positive");
    }
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
  }

  @Override
  public void rejectMalformed() {
    received.incrementAndGet();
    rejectedMalformed.incrementAndGet();
  }

  @Override
  public void rejectOverloaded() {
    received.incrementAndGet();
    droppedOverload.incrementAndGet();
  }

  @Override
  public void rejectOversize() {
    received.incrementAndGet();
    rejectedOversize.incrementAndGet();
  }

  @Override
  public void add(DocumentSummary document) {
    received.incrementAndGet();
    synchronized (this) {
      StoredTrace trace = traces.get(document.traceId);
      if (trace == null) {
        trace = new StoredTrace(document.traceId, System.nanoTime());
        traces.put(document.traceId, trace);
      }
      int before = trace.documentCount();
      bytes += trace.put(document);
      documents += trace.documentCount() - before;
      evictIfNeeded(trace);
    }
    accepted.incrementAndGet();
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  private void evictIfNeeded(StoredTrace keep) {
    Iterator<StoredTrace> oldest = traces.values().iterator();
    while ((traces.size() > maxTraces || bytes > maxBytes) && oldest.hasNext()) {
      StoredTrace victim = oldest.next();
      if (victim == keep && traces.size() == 1) {
        break; // a single trace larger than the bound is kept until another arrives
      }
      oldest.remove();
      bytes -= victim.weight();
      documents -= victim.documentCount();
      evictedTraces++;
      evictedDocuments += victim.documentCount();
    }
  }

  @Override
  public synchronized StoredTrace get(String traceId) {
    return traces.get(traceId);
  }

  @Override
  public synchronized <T> T read(Function<TraceStore, T> reader) {
    return reader.apply(this);
  }

  @Override
  public synchronized List<StoredTrace> find(double from, double to, Predicate<StoredTrace> filter) {
    List<StoredTrace> result = new ArrayList<>();
    for (StoredTrace trace : traces.values()) {
      double start = trace.startTime();
      if (start >= from && start <= to && filter.test(trace)) {
        result.add(trace);
      }
    }
    result.sort((a, b) -> Double.compare(b.startTime(), a.startTime()));
    return result;
  }

  @Override
  public StoreStats stats() {
    synchronized (this) {
      return new StoreStats(received.get(), accepted.get(), rejectedMalformed.get(), rejectedOversize.get(),
          droppedOverload.get(), evictedTraces, evictedDocuments, traces.size(), documents, bytes);
    }
  }

  @Override
  public boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (accepted.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  @Override
  public synchronized void clear() {
    traces.clear();
    bytes = 0;
    documents = 0;
  }
}

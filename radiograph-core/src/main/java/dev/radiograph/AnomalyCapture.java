package dev.radiograph;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-on-anomaly capture ({@code capture-anomalies}): a request the sampler did not pick is still
 * recorded in memory, and sent at its end only if it faulted, errored, was throttled, or took
 * longer than {@code anomaly-latency-threshold}; otherwise it is discarded. This is tail sampling
 * done in process: the traces worth reading are kept without paying to send the rest.
 *
 * <p>Bounded twice, so a burst of slow requests cannot grow memory: at most
 * {@value #MAX_ENTITIES_PER_REQUEST} entities per request and {@value #MAX_ENTITIES_IN_FLIGHT} in
 * all requests in progress; past either, the work goes on unrecorded and is counted.
 */
final class AnomalyCapture {
  static final int MAX_ENTITIES_PER_REQUEST = 100;
  static final int MAX_ENTITIES_IN_FLIGHT = 10_000;

  private final long thresholdMicros;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicLong kept = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final AtomicLong droppedRequests = new AtomicLong();
  private final AtomicLong droppedSubsegments = new AtomicLong();

  AnomalyCapture(Duration latencyThreshold) {
    this.thresholdMicros = latencyThreshold == null ? Long.MAX_VALUE : latencyThreshold.toNanos() / 1_000;
  }

  /** Reserves room for a new buffered request; false (and counted) when memory is at its bound. */
  boolean reserve() {
    if (!take(1)) {
      droppedRequests.incrementAndGet();
      return false;
    }
    buffered.incrementAndGet();
    return true;
  }

  /** Reserves room for one more subsegment of a buffered request. */
  boolean reserveSubsegment(RecordingSegment segment) {
    // The global reservation comes first and is given back if the segment refuses (full, or
    // already decided), so the count the segment releases at its end is exactly what it took.
    if (!take(1)) {
      droppedSubsegments.incrementAndGet();
      return false;
    }
    if (!segment.tryAddBufferedEntity(MAX_ENTITIES_PER_REQUEST)) {
      release(1);
      droppedSubsegments.incrementAndGet();
      return false;
    }
    return true;
  }

  private boolean take(int entities) {
    while (true) {
      int current = inFlight.get();
      if (current + entities > MAX_ENTITIES_IN_FLIGHT) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + entities)) {
        return true;
      }
    }
  }

  /** Decides whether a finished buffered request is sent. */
  boolean keep(boolean anomaly, long durationMicros) {
    boolean keep = anomaly || durationMicros >= thresholdMicros;
    (keep ? kept : discarded).incrementAndGet();
    return keep;
  }

  void release(int entities) {
    inFlight.addAndGet(-entities);
  }

  /** Counters since the recorder started. */
  AnomalyCaptureStats stats() {
    return new AnomalyCaptureStats(buffered.get(), kept.get(), discarded.get(), droppedRequests.get(),
        droppedSubsegments.get(), inFlight.get());
  }
}

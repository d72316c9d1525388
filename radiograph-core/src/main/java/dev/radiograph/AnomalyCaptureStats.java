package dev.radiograph;

/**
 * Keep-on-anomaly counters ({@code capture-anomalies}), from {@link Recorder#anomalyCaptureStats()}.
 *
 * @param buffered unsampled requests recorded in memory
 * @param kept of those, requests sent because they were anomalies or slow
 * @param discarded of those, requests dropped at their end as unremarkable
 * @param droppedRequests unsampled requests not buffered because memory was at its bound
 * @param droppedSubsegments subsegments not buffered because a bound was reached
 * @param entitiesInFlight entities held now by requests in progress
 */
public record AnomalyCaptureStats(long buffered, long kept, long discarded, long droppedRequests,
    long droppedSubsegments, int entitiesInFlight) {}

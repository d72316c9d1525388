package dev.radiograph.daemon.store;

/**
 * Counters of the daemon's store, shown by the API ({@code GET /radiograph/stats}) and the viewer.
 *
 * @param received documents that arrived (UDP and PutTraceSegments)
 * @param accepted documents stored
 * @param rejectedMalformed documents that were not valid X-Ray documents
 * @param rejectedOversize documents over the 64 KB document limit
 * @param droppedOverload datagrams dropped because ingest could not keep up
 * @param evictedTraces whole traces evicted to stay within the bounds
 * @param evictedDocuments documents in those traces
 * @param storedTraces traces held now
 * @param storedDocuments documents held now
 * @param storedBytes approximate bytes held now
 */
public record StoreStats(long received, long accepted, long rejectedMalformed, long rejectedOversize,
    long droppedOverload,
    long evictedTraces, long evictedDocuments, long storedTraces, long storedDocuments, long storedBytes) {}

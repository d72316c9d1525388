package dev.radiograph.daemon.store;

/**
 * Counters of the daemon's store, shown by the API ({@code GET /radiograph/stats}) and the viewer.
 * Every document that arrives is counted once: {@code received} is {@code accepted} plus the
 * rejected and dropped ones.
 *
 * @param received documents that arrived (UDP and PutTraceSegments)
 * @param accepted valid documents taken in: stored, or counted against a truncated trace
 * @param rejectedMalformed documents that were not valid X-Ray documents
 * @param rejectedOversize documents over the 64 KB (UTF-8 bytes) document limit
 * @param rejectedNonFinite documents whose start or end time is not a finite number ({@code 1e999})
 * @param droppedOverload datagrams dropped because ingest could not keep up
 * @param truncatedTraces traces that passed the per-trace cap (marked {@code LimitExceeded})
 * @param truncatedDocuments valid documents not kept because their trace had passed its cap
 * @param evictedTraces whole traces evicted to stay within the bounds
 * @param evictedDocuments documents in those traces
 * @param storedTraces traces held now
 * @param storedDocuments documents held now
 * @param storedBytes heap bytes the stored traces hold now (documents, summaries, indexes)
 */
public record StoreStats(long received, long accepted, long rejectedMalformed, long rejectedOversize,
    long rejectedNonFinite, long droppedOverload, long truncatedTraces, long truncatedDocuments,
    long evictedTraces, long evictedDocuments, long storedTraces, long storedDocuments, long storedBytes) {}

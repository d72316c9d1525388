package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where the daemon keeps the documents it accepted, and what the API and the viewer query. The
 * store is bounded: past its bounds the oldest whole traces go, never single documents. Every
 * implementation passes the same contract tests (the contract tests in the daemon module's test sources).
 *
 * <p>Reads return immutable {@link StoredTrace} snapshots: a query never holds what ingest needs,
 * and what it reads does not change under it.
 */
public interface TraceStore extends AutoCloseable {
  /** X-Ray's limit on one document, in UTF-8 bytes. */
  int MAX_DOCUMENT_BYTES = 64 * 1024;

  /** Stores a valid document, replacing an earlier one with the same id unless that one is complete and this in progress. */
  void add(DocumentSummary document);

  /** Counts a document that arrived but could not be read. */
  void rejectMalformed();

  /** Counts a document whose times are not finite numbers. */
  void rejectNonFinite();

  /** Counts a datagram dropped because ingest could not keep up. */
  void rejectOverloaded();

  /** Counts a document over the size limit. */
  void rejectOversize();

  /**
   * Counts a document that {@link DocumentSummary#parse} refused, under the reason it gives:
   * non-finite times, or malformed.
   */
  default void reject(IllegalArgumentException problem) {
    if (problem instanceof NonFiniteTimeException) {
      rejectNonFinite();
    } else {
      rejectMalformed();
    }
  }

  /** A snapshot of the trace, or null. */
  StoredTrace get(String traceId);

  /**
   * Runs {@code reader} against the store.
   *
   * @deprecated reads return immutable snapshots, so a reader needs no view of its own: call
   *     {@link #get} and {@link #find} directly
   */
  @Deprecated
  default <T> T read(Function<TraceStore, T> reader) {
    return reader.apply(this);
  }

  /**
   * Snapshots of the traces matching {@code filter} whose start is within [from, to] epoch seconds, newest first.
   * Their facts and document summaries are complete; the documents' text may be left out (a
   * store that keeps it on disk): {@link #get} gives a trace with its documents' text.
   */
  List<StoredTrace> find(double from, double to, Predicate<StoredTrace> filter);

  /** A page of {@link #find}'s answer, and how many traces matched in all. */
  record Page(List<StoredTrace> traces, int matches) {}

  /**
   * The matches {@code skip} to {@code skip + limit} of {@link #find} (newest first) and the count
   * of all matches: what a page of trace summaries needs, without holding every match at once.
   */
  default Page findPage(double from, double to, Predicate<StoredTrace> filter, int skip, int limit) {
    List<StoredTrace> all = find(from, to, filter);
    int first = Math.min(skip, all.size());
    return new Page(List.copyOf(all.subList(first, Math.min(all.size(), first + limit))), all.size());
  }

  /** What arrived, what was kept and what was dropped, and how much is stored now. */
  StoreStats stats();

  /** Waits until at least {@code count} documents have been accepted, or the timeout passes. */
  boolean awaitAccepted(long count, Duration timeout) throws InterruptedException;

  /** Removes everything (for the viewer's "clear"). */
  void clear();

  /** Which store this is, for the daemon's stats ({@code GET /radiograph/stats}): {@code memory} by default. */
  default String description() {
    return "memory";
  }

  /** Releases what the store holds open (files, connections); the memory store holds none. */
  @Override
  default void close() {}
}

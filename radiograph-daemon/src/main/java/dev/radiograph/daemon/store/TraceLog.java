package dev.radiograph.daemon.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The ingest side of one trace: its documents in arrival order, an index by id, and the
 * immutable {@link StoredTrace} last published for readers. Written only under the store's
 * write lock; read by queries only through {@link #published}.
 *
 * <p>RATIONALE: documents live in chunks of {@value #CHUNK}. A reader's snapshot holds the chunk
 * array and a count; appending writes past every published count, so it changes no snapshot and
 * costs no copy. Replacing a document (an in-progress update) copies only its chunk and the
 * chunk array. A trace of 40,000 streamed subsegments is thereby built in linear time, and a
 * query reading it never waits for, nor blocks, the ingest thread.
 */
final class TraceLog {
  static final int CHUNK = 256;
  private static final int INDEX_FROM = 8; // below this many documents, ids are found by a scan

  /**
   * What a trace costs beyond its documents and its own arrays: this object, its published
   * snapshot and the snapshot's computed facts, and its entries in the store's map by id (node
   * and table share), its skip-list entry by start time (node, key, index nodes on average) and
   * its slot in the arrival queue.
   */
  static final long OVERHEAD = HeapSize.object(5, 4 + 4 + 8 + 8 + 1) // this
      + HeapSize.object(3, 4 + 1) // StoredTrace
      + HeapSize.object(3, 2 * 8 + 3) + HeapSize.immutableList(1) // its facts and their services list
      + HeapSize.object(3, 4) + 2L * HeapSize.REFERENCE // ConcurrentHashMap node and table slots
      + HeapSize.object(3, 0) + HeapSize.object(1, 8) + HeapSize.object(3, 0) / 3 // skip list node, TimeKey, index
      + 2L * HeapSize.REFERENCE; // ArrayDeque slot

  final String traceId;
  private DocumentSummary[][] chunks = {new DocumentSummary[1]};
  private int count;
  private int[] index; // open addressing: document position + 1, 0 for free
  private long documentBytes;
  private long arrayBytes = HeapSize.referenceArray(1) + HeapSize.referenceArray(1);
  private boolean truncated;
  private TimeKey key;
  private volatile StoredTrace published;

  TraceLog(String traceId) {
    this.traceId = traceId;
  }

  /** The snapshot readers see, or null before the first document. */
  StoredTrace published() {
    return published;
  }

  /** The key of this trace in the store's index by start time, or null before the first document. */
  TimeKey key() {
    return key;
  }

  int size() {
    return count;
  }

  /** Bytes this trace holds on the heap: {@link #OVERHEAD}, its arrays and its documents. */
  long weight() {
    return OVERHEAD + arrayBytes + documentBytes;
  }

  boolean truncated() {
    return truncated;
  }

  DocumentSummary document(int position) {
    return chunks[position / CHUNK][position % CHUNK];
  }

  /** The position of the document with {@code id}, or -1. */
  int indexOf(String id) {
    if (index == null) {
      for (int i = 0; i < count; i++) {
        if (document(i).id.equals(id)) {
          return i;
        }
      }
      return -1;
    }
    int mask = index.length - 1;
    for (int slot = id.hashCode() & mask; index[slot] != 0; slot = (slot + 1) & mask) {
      if (document(index[slot] - 1).id.equals(id)) {
        return index[slot] - 1;
      }
    }
    return -1;
  }

  /** What {@link #put} does with a document. */
  enum Outcome {
    /** A new document, kept. */
    APPENDED,
    /** A new copy of a document here, kept in its place. */
    REPLACED,
    /** A late in-progress copy of a complete document: the complete one stays, this is not kept. */
    KEPT_PREVIOUS,
    /** Over the trace's cap: not kept, the trace is marked truncated. */
    TRUNCATED;

    /** Whether the document was kept (and a store that writes documents elsewhere must write it). */
    boolean kept() {
      return this == APPENDED || this == REPLACED;
    }
  }

  /**
   * What {@link #put} would do with {@code document}, changing nothing: the rules every store
   * keeps documents by. A trace holds at most {@code maxDocuments} documents and
   * {@code maxWeight} bytes ({@link #weight}).
   */
  Outcome admit(DocumentSummary document, int maxDocuments, long maxWeight) {
    int at = indexOf(document.id);
    if (at >= 0) {
      DocumentSummary previous = document(at);
      if (!previous.inProgress && document.inProgress) {
        return Outcome.KEPT_PREVIOUS;
      }
      return weight() + document.weight() - previous.weight() > maxWeight ? Outcome.TRUNCATED : Outcome.REPLACED;
    }
    return count >= maxDocuments || weight() + document.weight() > maxWeight ? Outcome.TRUNCATED : Outcome.APPENDED;
  }

  /** Adds or replaces {@code document} as {@link #admit} decides, publishing a new snapshot when it changes. */
  Outcome put(DocumentSummary document, int maxDocuments, long maxWeight) {
    Outcome outcome = admit(document, maxDocuments, maxWeight);
    switch (outcome) {
      case APPENDED -> append(document);
      case REPLACED -> replace(indexOf(document.id), document);
      case TRUNCATED -> markTruncated();
      case KEPT_PREVIOUS -> { }
    }
    return outcome;
  }

  /** Adds a document whose id is not here yet, and publishes the new snapshot. */
  void append(DocumentSummary document) {
    int chunk = count / CHUNK;
    int offset = count % CHUNK;
    if (chunk == chunks.length) {
      DocumentSummary[][] grown = Arrays.copyOf(chunks, chunks.length * 2);
      arrayBytes += HeapSize.referenceArray(grown.length) - HeapSize.referenceArray(chunks.length);
      chunks = grown;
    }
    if (chunks[chunk] == null) {
      chunks[chunk] = new DocumentSummary[CHUNK];
      arrayBytes += HeapSize.referenceArray(CHUNK);
    } else if (offset == chunks[chunk].length) { // the first chunk grows from one slot
      DocumentSummary[] grown = Arrays.copyOf(chunks[chunk], Math.min(CHUNK, offset * 2));
      arrayBytes += HeapSize.referenceArray(grown.length) - HeapSize.referenceArray(offset);
      chunks = chunks.clone(); // earlier snapshots keep the arrays they had
      chunks[chunk] = grown;
    }
    chunks[chunk][offset] = document;
    count++;
    documentBytes += document.weight();
    if (count > INDEX_FROM) {
      if (index == null || count * 2 > index.length) {
        rebuildIndex(Integer.highestOneBit(count) * 4);
      } else {
        insert(count - 1);
      }
    }
    start(document.startTime, false);
    publish();
  }

  /** Replaces the document at {@code position} (same id), and publishes the new snapshot. */
  void replace(int position, DocumentSummary document) {
    int chunk = position / CHUNK;
    DocumentSummary previous = chunks[chunk][position % CHUNK];
    // Copy on write: published snapshots keep seeing the previous document.
    DocumentSummary[] copy = chunks[chunk].clone();
    copy[position % CHUNK] = document;
    chunks = chunks.clone();
    chunks[chunk] = copy;
    documentBytes += document.weight() - previous.weight();
    start(document.startTime, previous.startTime == key.start() && document.startTime > previous.startTime);
    publish();
  }

  /** Marks the trace as past its cap: later documents are counted, not kept. */
  void markTruncated() {
    if (!truncated) {
      truncated = true;
      publish();
    }
  }

  /** Moves the start key to include {@code start}; {@code recompute} when the earliest start may have moved later. */
  private void start(double start, boolean recompute) {
    double earliest = key == null ? start : Math.min(key.start(), start);
    if (recompute) {
      earliest = Double.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        earliest = Math.min(earliest, document(i).startTime);
      }
    }
    if (key == null || earliest != key.start()) {
      key = new TimeKey(earliest, traceId);
    }
  }

  private void publish() {
    published = new StoredTrace(traceId, chunks, count, truncated);
  }

  private void rebuildIndex(int capacity) {
    if (index != null) {
      arrayBytes -= HeapSize.intArray(index.length);
    }
    index = new int[capacity];
    arrayBytes += HeapSize.intArray(capacity);
    for (int i = 0; i < count; i++) {
      insert(i);
    }
  }

  private void insert(int position) {
    int mask = index.length - 1;
    int slot = document(position).id.hashCode() & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = position + 1;
  }

  /**
   * Snapshots of the traces in {@code byStart} (a store's index by start time, whose values lead
   * to their {@link TraceLog}) that match {@code filter} and start within [from, to], newest first.
   * Reads without a lock: every value read is an immutable snapshot.
   */
  static <T> List<StoredTrace> find(ConcurrentSkipListMap<TimeKey, T> byStart, Function<T, TraceLog> log,
      double from, double to, Predicate<StoredTrace> filter) {
    List<StoredTrace> result = new ArrayList<>();
    walk(byStart, log, from, to, filter, result::add);
    Collections.reverse(result);
    return result;
  }

  /**
   * Gives {@code matches} each trace whose start is in [from, to] and that {@code filter} keeps,
   * oldest first. Ascending: a skip list walks forwards in constant time per entry, backwards in
   * a search per entry.
   */
  private static <T> void walk(ConcurrentSkipListMap<TimeKey, T> byStart, Function<T, TraceLog> log,
      double from, double to, Predicate<StoredTrace> filter, java.util.function.Consumer<StoredTrace> matches) {
    if (!(from <= to)) {
      return;
    }
    for (Map.Entry<TimeKey, T> e : byStart.subMap(
        new TimeKey(from, ""), true, new TimeKey(to, "\uffff"), true).entrySet()) {
      TraceLog trace = log.apply(e.getValue());
      StoredTrace snapshot = trace.published();
      // An entry whose trace moved to another key meanwhile is read at its new key (or missed).
      if (snapshot != null && trace.key() == e.getKey() && filter.test(snapshot)) {
        matches.accept(snapshot);
      }
    }
  }

  /**
   * {@link #find}'s page {@code skip..skip+limit} and its count of matches in one ascending walk
   * that keeps only the newest {@code skip + limit} matches (a ring): a page of a million matches
   * holds a hundred of them, not a million.
   */
  static <T> TraceStore.Page findPage(ConcurrentSkipListMap<TimeKey, T> byStart, Function<T, TraceLog> log,
      double from, double to, Predicate<StoredTrace> filter, int skip, int limit) {
    int keep = skip + limit;
    if (keep > MAX_RING || keep <= 0) { // a far page (or an overflow): the general way
      List<StoredTrace> all = find(byStart, log, from, to, filter);
      int first = Math.min(skip < 0 ? 0 : skip, all.size());
      return new TraceStore.Page(List.copyOf(all.subList(first, Math.min(all.size(), first + Math.max(0, limit)))),
          all.size());
    }
    StoredTrace[] newest = new StoredTrace[keep];
    int[] count = {0};
    walk(byStart, log, from, to, filter, snapshot -> newest[count[0]++ % keep] = snapshot);
    int matches = count[0];
    List<StoredTrace> page = new ArrayList<>(Math.max(0, Math.min(limit, matches - skip)));
    for (int i = skip; i < Math.min(keep, matches); i++) {
      page.add(newest[(matches - 1 - i) % keep]); // i-th newest: ascending position matches-1-i
    }
    return new TraceStore.Page(page, matches);
  }

  /** The most matches {@link #findPage} keeps in its ring; a page further back lists them all. */
  private static final int MAX_RING = 100_000;

  /** A trace's place in the index by start time: the earliest start of its documents, then its id. */
  record TimeKey(double start, String traceId) implements Comparable<TimeKey> {
    @Override
    public int compareTo(TimeKey other) {
      int byStart = Double.compare(start, other.start);
      return byStart != 0 ? byStart : traceId.compareTo(other.traceId);
    }
  }
}

package dev.radiograph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exceptions recorded anywhere in one segment's tree, by identity. When an exception thrown
 * in a subsegment propagates and is recorded again on the segment, the second entity's cause is
 * the first record's id instead of a second copy of the stack, as X-Ray expects. Bounded: past
 * {@value #MAX_REMEMBERED} exceptions, new ones are recorded without de-duplication.
 */
final class ExceptionRegistry {
  static final int MAX_CAUSES = 10;
  private static final int MAX_REMEMBERED = 128;

  private Map<Throwable, Long> ids;

  /**
   * Records {@code exception} and its cause chain, the first shown as {@code type} when not null;
   * returns {@code null} when the exception itself was recorded before (refer to it with
   * {@link #idOf}).
   */
  synchronized List<ExceptionRecord> record(Throwable exception, boolean remote, String type) {
    if (ids == null) {
      ids = new IdentityHashMap<>(4);
    }
    if (ids.containsKey(exception)) {
      return null;
    }
    List<ExceptionRecord> records = new ArrayList<>(2);
    Throwable current = exception;
    ExceptionRecord previous = null;
    while (current != null) {
      Long known = ids.get(current);
      if (known != null) {
        previous.causeId = known; // the rest of the chain is already in the trace
        return records;
      }
      if (records.size() == MAX_CAUSES) {
        previous.skipped = countRemaining(current);
        return records;
      }
      boolean first = previous == null;
      ExceptionRecord record = new ExceptionRecord(Ids.next(), current, remote && first, first ? type : null);
      if (ids.size() < MAX_REMEMBERED) {
        ids.put(current, record.id);
      }
      if (previous != null) {
        previous.causeId = record.id;
      }
      records.add(record);
      previous = record;
      Throwable next = current.getCause();
      current = next == current ? null : next;
    }
    return records;
  }

  synchronized long idOf(Throwable exception) {
    Long id = ids == null ? null : ids.get(exception);
    return id == null ? 0 : id;
  }

  private static int countRemaining(Throwable from) {
    int count = 0;
    IdentityHashMap<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = from; t != null && seen.put(t, Boolean.TRUE) == null && count < 1000; t = t.getCause()) {
      count++;
    }
    return count;
  }
}

package dev.radiograph.daemon.store;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite database of a {@link SqliteTraceStore}: one table of documents (their text as
 * received), written by one thread in group commits, read by queries on a second connection.
 *
 * <p>RATIONALE: the thread that stores a document must never wait on the disk, so a write is
 * handed over through a queue bounded in bytes ({@link #offer} says no when it is full, and the
 * store counts the drop). The writer commits what has arrived at most every
 * {@link #COMMIT_INTERVAL_MILLIS}, one transaction and one fsync for thousands of documents,
 * so a document is on disk within about that interval of being accepted. In WAL mode readers are
 * not blocked by the writer; {@code synchronous=FULL} makes a commit survive a crash of the
 * machine, not only of the process, and costs one fsync per commit, a few a second. A document
 * still in the queue is read from {@link #pending}, so queries never miss an accepted document.
 */
final class TraceDatabase implements AutoCloseable {
  static final String FILE_NAME = "traces.db";
  static final long COMMIT_INTERVAL_MILLIS = 200;
  private static final int SCHEMA_VERSION = 1;
  /** How many bytes of documents may wait for the writer before more are dropped. */
  static final long QUEUE_BYTES = 64L * 1024 * 1024;
  /**
   * How far behind the writer may fall, as the age of the oldest document not on disk yet: past
   * it documents are dropped (and counted) rather than accepted, so that what a crash can take
   * stays about a second of documents even when the disk cannot keep up. Normally the age stays
   * under the commit interval plus one commit (measured: 200-650 ms on a loaded machine).
   */
  static final long MAX_LAG_MILLIS = 1000;
  private static final long TICK_MILLIS = 1000;
  private static final long RETRY_MILLIS = 1000;
  private static final Logger LOG = System.getLogger(TraceDatabase.class.getName());

  /**
   * One document to write. {@code seq} is its row: the sequence number of its first arrival (a
   * replacement rewrites the row of the document it replaces, so the document keeps its place);
   * {@code traceSeq} is the trace's, the seq of its first document, which its rows are found by.
   */
  record Put(long seq, long traceSeq, String traceId, String id, long receivedMillis, byte[] utf8,
      long acceptedNanos) {}

  /** A row read back. */
  interface RowConsumer {
    /** Takes one stored document; false when it cannot be read any more (it is then deleted). */
    boolean accept(long seq, long traceSeq, long receivedMillis, byte[] utf8);
  }

  private record DeleteTrace(long traceSeq) {}

  private static final Object DELETE_ALL = new Object();

  private final Path file;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final Connection writeConnection;
  private final Connection readConnection; // guarded by itself
  private final Connection checkpointConnection; // the checkpointer thread's
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long maxQueuedBytes;
  // Documents accepted but not committed yet, by trace and id; guarded by itself.
  private final Map<String, LinkedHashMap<String, Put>> pending = new HashMap<>();
  private Thread writer;
  private Thread checkpointer;
  private volatile boolean stopping;
  // When the oldest document of the batch being written was accepted; Long.MAX_VALUE between batches.
  private volatile long writingSince = Long.MAX_VALUE;
  private long lastFailureLog;

  private TraceDatabase(Path file, FileChannel lockFile, FileLock lock, Connection writeConnection,
      Connection readConnection, Connection checkpointConnection, long maxQueuedBytes) {
    this.checkpointConnection = checkpointConnection;
    this.maxQueuedBytes = maxQueuedBytes;
    this.file = file;
    this.lockFile = lockFile;
    this.lock = lock;
    this.writeConnection = writeConnection;
    this.readConnection = readConnection;
  }

  /**
   * Opens (or creates) the database in {@code directory}, which one daemon at a time may use.
   *
   * @throws IOException saying why the directory or its database cannot be used
   */
  static TraceDatabase open(Path directory, long maxQueuedBytes) throws IOException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IOException("cannot create the data directory " + directory + ": " + e, e);
    }
    FileChannel lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      throw new IOException("the data directory " + directory + " is in use by another Radiograph daemon");
    }
    Path file = directory.resolve(FILE_NAME);
    Connection write = null;
    Connection read = null;
    Connection checkpoints = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(10_000);
      String url = "jdbc:sqlite:" + file.toAbsolutePath();
      write = config.createConnection(url);
      createSchema(write, file);
      try (Statement s = write.createStatement()) {
        // No checkpoint (copying the WAL into the database, with an fsync) in the writer's
        // commits: one can take longer than the commit interval and hold every document behind
        // it. The checkpointer thread does them on its own connection instead.
        s.execute("PRAGMA wal_autocheckpoint = 0");
        s.execute("PRAGMA journal_size_limit = " + (64L * 1024 * 1024));
      }
      read = config.createConnection(url);
      checkpoints = config.createConnection(url);
      return new TraceDatabase(file, lockFile, lock, write, read, checkpoints, maxQueuedBytes);
    } catch (SQLException | IOException e) {
      closeQuietly(checkpoints);
      closeQuietly(read);
      closeQuietly(write);
      lock.release();
      lockFile.close();
      throw e instanceof IOException ? (IOException) e
          : new IOException("cannot open the trace database " + file + ": " + e.getMessage(), e);
    }
  }

  private static void createSchema(Connection connection, Path file) throws SQLException, IOException {
    try (Statement s = connection.createStatement()) {
      int version;
      try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
        version = r.next() ? r.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new IOException("the trace database " + file + " was written by a newer Radiograph daemon"
            + " (schema " + version + "; this one reads " + SCHEMA_VERSION + ")");
      }
      // seq is the rowid: first arrival order, which is the order traces are evicted in and the
      // order a trace's documents are shown in. A trace's rows are found by the integer seq of
      // its first document, not by its id: new traces append to that index, where random trace
      // ids would insert all over a text index (measured: half the write rate). The ids are in
      // the text, read again at start-up.
      s.executeUpdate("CREATE TABLE IF NOT EXISTS documents (seq INTEGER PRIMARY KEY,"
          + " trace_seq INTEGER NOT NULL, received_ms INTEGER NOT NULL, text BLOB NOT NULL)");
      s.executeUpdate("CREATE INDEX IF NOT EXISTS documents_by_trace ON documents (trace_seq)");
      s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
    }
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /**
   * Reads every stored document in first-arrival order, and deletes those {@code rows} refuses.
   * Call before {@link #start}.
   */
  void load(RowConsumer rows) throws IOException {
    List<Long> unreadable = new ArrayList<>();
    try (Statement s = readConnection.createStatement();
        ResultSet r = s.executeQuery("SELECT seq, trace_seq, received_ms, text FROM documents ORDER BY seq")) {
      while (r.next()) {
        long seq = r.getLong(1);
        if (!rows.accept(seq, r.getLong(2), r.getLong(3), r.getBytes(4))) {
          unreadable.add(seq);
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot read the trace database " + file + ": " + e.getMessage(), e);
    }
    if (!unreadable.isEmpty()) {
      LOG.log(Level.WARNING, "Radiograph daemon: " + unreadable.size() + " stored documents could not be read"
          + " any more and were deleted from " + file);
      try (PreparedStatement delete = writeConnection.prepareStatement("DELETE FROM documents WHERE seq = ?")) {
        for (long seq : unreadable) {
          delete.setLong(1, seq);
          delete.executeUpdate();
        }
      } catch (SQLException e) {
        throw new IOException("cannot clean the trace database " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The highest sequence number stored, or 0. */
  long lastSeq() throws IOException {
    try (Statement s = readConnection.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM documents")) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IOException("cannot read the trace database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Starts the writer thread; {@code tick} runs on it about once a second (retention). */
  void start(Runnable tick) {
    writer = new Thread(() -> write(tick), "radiograph-daemon-store-writer");
    writer.setDaemon(true);
    writer.start();
    checkpointer = new Thread(this::checkpoint, "radiograph-daemon-store-checkpoint");
    checkpointer.setDaemon(true);
    checkpointer.start();
  }

  /**
   * Queues a document to be written; never waits. Returns false when the queue is full (the disk
   * cannot keep up); the document is then not stored. Call in the order documents are accepted.
   */
  boolean offer(Put put) {
    int size = put.utf8().length;
    if (queuedBytes.get() + size > maxQueuedBytes || stopping || lagNanos(put.acceptedNanos()) > MAX_LAG_NANOS) {
      return false;
    }
    queuedBytes.addAndGet(size);
    synchronized (pending) {
      pending.computeIfAbsent(put.traceId(), k -> new LinkedHashMap<>()).put(put.id(), put);
    }
    queue.add(put);
    return true;
  }

  private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_LAG_MILLIS);

  /** How long the oldest document not yet on disk has waited, at {@code now}. */
  private long lagNanos(long now) {
    long oldest = writingSince;
    Object head = queue.peek();
    if (head instanceof Put) {
      oldest = Math.min(oldest, ((Put) head).acceptedNanos());
    }
    return oldest == Long.MAX_VALUE ? 0 : now - oldest;
  }

  /** Queues the deletion of a trace's documents, after the writes queued before it. */
  void deleteTrace(String traceId, long traceSeq) {
    synchronized (pending) {
      pending.remove(traceId);
    }
    queue.add(new DeleteTrace(traceSeq));
  }

  /** Queues the deletion of every document. */
  void deleteAll() {
    synchronized (pending) {
      pending.clear();
    }
    queue.add(DELETE_ALL);
  }

  /**
   * The texts of a trace's documents in first-arrival order, the latest text of each, committed
   * or still queued. {@code traceSeq} names the trace's current life: an evicted trace that
   * arrives again starts anew.
   */
  List<byte[]> read(String traceId, long traceSeq) {
    // Queued first, then committed: a document committed between the two reads is still seen.
    LinkedHashMap<String, Put> queued;
    synchronized (pending) {
      LinkedHashMap<String, Put> p = pending.get(traceId);
      queued = p == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p);
    }
    Map<Long, byte[]> texts = new TreeMap<>();
    synchronized (readConnection) {
      try (PreparedStatement s = readConnection.prepareStatement(
          "SELECT seq, text FROM documents WHERE trace_seq = ?")) {
        s.setLong(1, traceSeq);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            texts.put(r.getLong(1), r.getBytes(2));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the trace database " + file + ": " + e.getMessage(), e);
      }
    }
    for (Put put : queued.values()) {
      if (put.traceSeq() == traceSeq) {
        texts.put(put.seq(), put.utf8()); // the newer text, in the row of the document it replaces
      }
    }
    return new ArrayList<>(texts.values());
  }

  private void write(Runnable tick) {
    List<Object> batch = new ArrayList<>();
    long lastCommit = 0;
    long lastTick = System.nanoTime();
    while (true) {
      if (System.nanoTime() - lastTick >= TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS) && !stopping) {
        lastTick = System.nanoTime();
        runTick(tick);
      }
      if (batch.isEmpty()) {
        Object first;
        try {
          first = queue.poll(COMMIT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          first = null; // close() interrupts to hurry the last commit
        }
        if (first == null) {
          if (stopping && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        if (first instanceof Put) {
          writingSince = ((Put) first).acceptedNanos(); // no longer in the queue, not on disk yet
        }
        // Group commit: gather what arrives until an interval has passed since the last commit.
        long wait = lastCommit + TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS) - System.nanoTime();
        if (wait > 0 && !stopping) {
          LockSupport.parkNanos(wait);
        }
        queue.drainTo(batch);
        for (Object op : batch) {
          if (op instanceof Put) {
            writingSince = ((Put) op).acceptedNanos();
            break;
          }
        }
      }
      lastCommit = System.nanoTime();
      if (commit(batch)) {
        batch.clear();
        writingSince = Long.MAX_VALUE;
      } else if (stopping) {
        return; // nothing more can be done; the log says what failed
      } else {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
      }
    }
  }

  /**
   * Copies the WAL into the database about once a second, beside the writer: a passive
   * checkpoint never blocks it, and the WAL starts over once all of it is copied.
   */
  private void checkpoint() {
    while (!stopping) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
      if (stopping) {
        return;
      }
      try (Statement s = checkpointConnection.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (SQLException e) {
        LOG.log(Level.WARNING, "Radiograph daemon: checkpoint of " + file + " failed (will retry): " + e.getMessage());
      }
    }
  }

  private static void runTick(Runnable tick) {
    try {
      tick.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph daemon: the store's retention check failed", e);
    }
  }

  /** Writes a batch in one transaction; false (and the batch kept, to retry) when it failed. */
  private boolean commit(List<Object> batch) {
    try {
      writeConnection.setAutoCommit(false);
      try (PreparedStatement upsert = writeConnection.prepareStatement(
              "INSERT OR REPLACE INTO documents (seq, trace_seq, received_ms, text) VALUES (?, ?, ?, ?)");
          PreparedStatement deleteTrace = writeConnection.prepareStatement(
              "DELETE FROM documents WHERE trace_seq = ?");
          Statement deleteAll = writeConnection.createStatement()) {
        int puts = 0;
        for (Object op : batch) {
          if (op instanceof Put) {
            Put put = (Put) op;
            upsert.setLong(1, put.seq());
            upsert.setLong(2, put.traceSeq());
            upsert.setLong(3, put.receivedMillis());
            upsert.setBytes(4, put.utf8());
            upsert.addBatch(); // the driver runs a batch in one native call
            puts++;
            continue;
          }
          if (puts > 0) { // in order: the writes before a deletion first
            upsert.executeBatch();
            puts = 0;
          }
          if (op instanceof DeleteTrace) {
            deleteTrace.setLong(1, ((DeleteTrace) op).traceSeq());
            deleteTrace.executeUpdate();
          } else {
            deleteAll.executeUpdate("DELETE FROM documents");
          }
        }
        if (puts > 0) {
          upsert.executeBatch();
        }
      }
      writeConnection.commit();
    } catch (SQLException e) {
      try {
        writeConnection.rollback();
      } catch (SQLException ignored) {
        // The failure below is the one to report.
      }
      long now = System.currentTimeMillis();
      if (now - lastFailureLog > 60_000) {
        lastFailureLog = now;
        LOG.log(Level.WARNING, "Radiograph daemon: cannot write to the trace database " + file
            + " (will retry; documents arriving meanwhile are counted as dropped once the queue is full): "
            + e.getMessage());
      }
      return false;
    }
    long bytes = 0;
    synchronized (pending) {
      for (Object op : batch) {
        if (op instanceof Put) {
          Put put = (Put) op;
          bytes += put.utf8().length;
          LinkedHashMap<String, Put> trace = pending.get(put.traceId());
          if (trace != null && trace.get(put.id()) == put) { // not replaced by a later, queued one
            trace.remove(put.id());
            if (trace.isEmpty()) {
              pending.remove(put.traceId());
            }
          }
        }
      }
    }
    queuedBytes.addAndGet(-bytes);
    return true;
  }

  /** Writes everything queued, then closes the database and releases the directory. */
  @Override
  public void close() {
    stopping = true;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (checkpointer != null) {
      LockSupport.unpark(checkpointer);
      try {
        checkpointer.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly(checkpointConnection);
    synchronized (readConnection) {
      closeQuietly(readConnection);
    }
    closeQuietly(writeConnection); // the last connection closed checkpoints the WAL into the database
    try {
      lock.release();
      lockFile.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing: nothing left to tell anyone.
    }
  }
}

package dev.radiograph;

import dev.radiograph.emit.Emitter;
import dev.radiograph.internal.JsonWriter;
import dev.radiograph.internal.RateLimitedLogger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Turns finished entity trees into documents that each fit one datagram, and hands them to the
 * emitter.
 *
 * <p>A tree that fits is one document. One that does not is split: each child subtree is sent on
 * its own ({@code type: subsegment} with {@code trace_id} and {@code parent_id}, split again if
 * needed), then the entity without its children. An entity that alone is too big (huge metadata)
 * is shrunk step by step (metadata, then stacks and query text, then annotations and blocks) and
 * counted as truncated. So no datagram exceeds the limit and no subsegment is lost or sent twice.
 *
 * <p>Serialization buffers come from a small striped pool rather than thread locals, so virtual
 * threads do not each pin a buffer.
 */
final class DocumentSender {
  private static final int INITIAL_BUFFER = 8 * 1024;
  private static final int MAX_RETAINED_BUFFER = 256 * 1024;

  private final Emitter emitter;
  private final int maxDocumentBytes;
  private final AtomicReferenceArray<JsonWriter> pool;
  private final int poolMask;
  private final AtomicLong truncated = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final RateLimitedLogger failureLog =
      new RateLimitedLogger(System.getLogger("dev.radiograph"), 60_000);

  DocumentSender(Emitter emitter, int maxDocumentBytes) {
    this.emitter = emitter;
    this.maxDocumentBytes = maxDocumentBytes;
    int stripes = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
    this.pool = new AtomicReferenceArray<>(stripes);
    this.poolMask = stripes - 1;
  }

  /**
   * Sends a finished segment with whatever subsegments it still holds. The entity is handed to
   * the emitter, which serializes it off the request thread (the UDP emitter's sender thread).
   */
  void emitSegment(RecordingSegment segment) {
    emitter.send(out -> emitTree(segment, false, out));
  }

  /** Sends a subsegment tree on its own (streaming, or a subsegment that ended late). */
  void emitSubsegment(RecordingSubsegment subsegment) {
    emitter.send(out -> emitTree(subsegment, true, out));
  }

  long truncatedCount() {
    return truncated.get();
  }

  long failedCount() {
    return failed.get();
  }

  private void emitTree(RecordingEntity entity, boolean independent, java.util.function.Consumer<byte[]> out) {
    try {
      byte[] whole = serialize(entity, independent, true, Reduction.NONE);
      if (whole != null) {
        out.accept(whole);
        return;
      }
      for (RecordingSubsegment child : entity.childrenSnapshot()) {
        emitTree(child, true, out);
      }
      for (Reduction reduction : Reduction.values()) {
        byte[] alone = serialize(entity, independent, false, reduction);
        if (alone != null) {
          if (reduction != Reduction.NONE) {
            truncated.incrementAndGet();
            failureLog.log(Level.WARNING, "Radiograph: '" + entity.name()
                + "' was too large for one datagram; metadata or details were left out");
          }
          out.accept(alone);
          return;
        }
      }
      failed.incrementAndGet();
    } catch (RuntimeException | StackOverflowError e) {
      failed.incrementAndGet();
      failureLog.log(Level.WARNING, "Radiograph: could not serialize '" + entity.name() + "'", e);
    }
  }

  /** The document, or null when it does not fit a datagram. */
  private byte[] serialize(RecordingEntity entity, boolean independent, boolean withChildren, Reduction reduction) {
    int slot = (int) Thread.currentThread().getId() & poolMask;
    JsonWriter writer = pool.getAndSet(slot, null);
    if (writer == null) {
      writer = new JsonWriter(INITIAL_BUFFER);
    }
    try {
      writer.reset();
      DocumentWriter.write(writer, entity, independent, withChildren, reduction);
      return writer.size() <= maxDocumentBytes ? writer.toByteArray() : null;
    } catch (JsonWriter.TooDeepException e) {
      return null; // nested deeper than JSON allows here: split it like a document that is too big
    } finally {
      if (writer.buffer().length <= MAX_RETAINED_BUFFER) {
        pool.set(slot, writer);
      }
    }
  }

  /** The full document of {@code entity} as one JSON text, for diagnostics and tests. */
  String toJson(RecordingEntity entity) {
    JsonWriter writer = new JsonWriter(INITIAL_BUFFER);
    try {
      DocumentWriter.write(writer, entity, entity instanceof RecordingSubsegment, true, Reduction.NONE);
    } catch (RuntimeException e) {
      return null;
    }
    return new String(writer.buffer(), 0, writer.size(), java.nio.charset.StandardCharsets.UTF_8);
  }
}

package dev.radiograph;

import dev.radiograph.emit.Emitter;
import java.time.Duration;

/**
 * What happens once an entity has ended: the sampler hears how the request went, a finished tree
 * is sent, a segment holding many finished subsegments streams them, a subsegment that ended after
 * its parent was sent goes out alone, and keep-on-anomaly decides whether a buffered request is
 * sent at all. The recorder calls it after marking the entity ended (exactly once per entity).
 */
final class EntityLifecycle {
  private static final Duration LAMBDA_FLUSH = Duration.ofMillis(200);

  private final DocumentSender documents;
  private final Emitter emitter;
  private final GuardedSampler sampler;
  private final AnomalyCapture anomalyCapture; // null unless capture-anomalies
  private final int streamingThreshold;
  private final boolean lambda;

  EntityLifecycle(Emitter emitter, GuardedSampler sampler, AnomalyCapture anomalyCapture,
      int streamingThreshold, boolean lambda) {
    this.documents = new DocumentSender(emitter, Emitter.MAX_DOCUMENT_BYTES);
    this.emitter = emitter;
    this.sampler = sampler;
    this.anomalyCapture = anomalyCapture;
    this.streamingThreshold = streamingThreshold;
    this.lambda = lambda;
  }

  DocumentSender documents() {
    return documents;
  }

  /** An unsampled segment has ended: only the sampler's statistics care. */
  void ended(NonRecordingSegment segment) {
    if (segment.decision() != null) {
      sampler.requestEnded(segment.decision(), segment.isAnomaly());
    }
  }

  /** A recording segment has ended: counted, and sent if nothing under it is still open. */
  void ended(RecordingSegment segment) {
    if (segment.decision() != null) {
      sampler.requestEnded(segment.decision(), segment.isAnomaly());
    }
    if (segment.entityEnded()) {
      emitOnce(segment);
    }
  }

  /** A recording subsegment has ended: the tree may be complete, or due to stream. */
  void ended(RecordingSubsegment subsegment) {
    RecordingSegment segment = subsegment.segment();
    RecordingEntity.ChildEnd action = subsegment.parent().childEnded(subsegment);
    if (action != RecordingEntity.ChildEnd.NORMAL) {
      // The parent was already sent (streamed, or in the segment's document): this subsegment
      // ended late and goes out on its own unless the parent still carries it.
      if (action == RecordingEntity.ChildEnd.SEND && !segment.isBuffered()) {
        documents.emitSubsegment(subsegment);
        if (lambda) {
          // Lambda freezes the process when the handler returns: send now, not on the next thaw.
          emitter.flush(LAMBDA_FLUSH);
        }
      }
      if (segment.entityEnded()) {
        emitOnce(segment);
      }
      return;
    }
    if (segment.entityEnded()) {
      emitOnce(segment);
    } else if (!segment.isBuffered() && segment.finishedSubsegmentHeld() > streamingThreshold) {
      stream(segment);
    }
  }

  private void emitOnce(RecordingSegment segment) {
    if (!segment.markEmitted()) {
      return;
    }
    if (segment.isBuffered()) {
      // Keep-on-anomaly: send only what faulted, errored, was throttled or was slow.
      boolean keep = anomalyCapture.keep(segment.isAnomaly(), segment.durationMicros());
      anomalyCapture.release(segment.closeBuffer());
      if (!keep) {
        return;
      }
    }
    documents.emitSegment(segment);
  }

  /**
   * Sends completed subtrees on their own so that a segment with many subsegments never holds
   * them all. One thread streams a segment at a time; a subtree is detached (under its parent's
   * lock, and only while the segment has not been sent) before it is sent, so each subsegment is
   * sent exactly once.
   */
  private void stream(RecordingSegment segment) {
    if (!segment.tryStartStreaming()) {
      return;
    }
    try {
      streamChildren(segment, segment);
    } finally {
      segment.endStreaming();
    }
  }

  private void streamChildren(RecordingSegment segment, RecordingEntity parent) {
    for (RecordingSubsegment child : parent.childrenSnapshot()) {
      if (child.isSubtreeComplete()) {
        int size = child.subtreeSize();
        if (parent.detachChildForStreaming(child, segment)) {
          segment.finishedSubsegmentsReleased(size);
          documents.emitSubsegment(child);
        }
      } else {
        streamChildren(segment, child);
      }
    }
  }
}

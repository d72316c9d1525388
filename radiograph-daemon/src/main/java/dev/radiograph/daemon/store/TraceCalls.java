package dev.radiograph.daemon.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who called whom in one trace, as X-Ray's service map reads it, worked out once for the service
 * graph and for the {@code edge("a", "b")} filter: a segment is called by the segment that owns
 * its parent; a remote or AWS call that no segment continued leads to a node inferred from it;
 * a queue, topic, stream or event bus between a producer and the consumer that continued its
 * trace is a node between the two ({@code orders -> order-events -> order-worker}).
 *
 * <p>Linear in the documents: a subsegment sent on its own is owned by the segment its parent
 * chain leads to, each chain followed once (a long job streams thousands, in any order).
 */
public final class TraceCalls {
  /** What {@link #visit} reports; every inferred call comes before any segment. */
  public interface Visitor {
    /**
     * A call to a node that sent no segment of its own, or to a resource that carries messages
     * (a consumer that continued the trace from it follows in {@link #segment}).
     */
    void inferred(DocumentSummary owner, DocumentSummary.RemoteCall call);

    /**
     * A segment: {@code caller} is the segment that called it (null: it is a root, or its caller
     * is not in the trace); {@code through} the message resource call it continued from, or null.
     */
    void segment(DocumentSummary segment, DocumentSummary caller, DocumentSummary.RemoteCall through);
  }

  private TraceCalls() {}

  /** Walks {@code documents}, reporting inferred calls and then segments to {@code visitor}. */
  public static void visit(List<DocumentSummary> documents, Visitor visitor) {
    Map<String, DocumentSummary> ownerOfEntity = new HashMap<>(); // entity id -> its segment
    Map<String, DocumentSummary> continued = new HashMap<>(); // call id -> the segment that continued it
    Map<String, DocumentSummary> loose = new HashMap<>(); // id -> a subsegment sent on its own
    Set<String> ownerless = new HashSet<>(); // subsegments whose chain leads to no segment here
    for (DocumentSummary d : documents) {
      if (d.subsegment) {
        loose.put(d.id, d);
        continue;
      }
      for (String id : d.entityIds) {
        ownerOfEntity.put(id, d);
      }
      if (d.parentId != null) {
        continued.put(d.parentId, d);
      }
    }
    Map<String, DocumentSummary.RemoteCall> hops = new HashMap<>(); // call id -> a message resource call
    for (DocumentSummary d : documents) {
      DocumentSummary owner = d.subsegment ? ownerOf(d, ownerOfEntity, loose, ownerless) : d;
      if (owner == null) {
        continue;
      }
      for (DocumentSummary.RemoteCall call : d.remoteCalls) {
        boolean carriesMessages = "aws".equals(call.namespace()) && call.awsResource().carriesMessages();
        if (continued.containsKey(call.id())) {
          if (!carriesMessages) {
            continue; // the callee sent its own segment: it is a real node already
          }
          hops.put(call.id(), call);
        }
        visitor.inferred(owner, call);
      }
    }
    for (DocumentSummary d : documents) {
      if (!d.subsegment) {
        DocumentSummary caller = d.parentId == null ? null : ownerOfEntity.get(d.parentId);
        visitor.segment(d, caller, d.parentId == null ? null : hops.get(d.parentId));
      }
    }
  }

  /**
   * The segment that owns a subsegment sent on its own, or null: its parent chain followed up to
   * a segment's entity, and every subsegment met on the way given that owner too.
   */
  private static DocumentSummary ownerOf(DocumentSummary subsegment, Map<String, DocumentSummary> ownerOfEntity,
      Map<String, DocumentSummary> loose, Set<String> ownerless) {
    DocumentSummary known = ownerOfEntity.get(subsegment.id);
    if (known != null || ownerless.contains(subsegment.id)) {
      return known;
    }
    List<DocumentSummary> chain = new ArrayList<>();
    DocumentSummary at = subsegment;
    DocumentSummary owner = null;
    while (at != null && chain.size() <= loose.size()) { // bounded: a cycle of parents ends here
      chain.add(at);
      owner = at.parentId == null ? null : ownerOfEntity.get(at.parentId);
      if (owner != null) {
        break;
      }
      at = at.parentId == null || ownerless.contains(at.parentId) ? null : loose.get(at.parentId);
    }
    for (DocumentSummary link : chain) {
      if (owner == null) {
        ownerless.add(link.id);
        continue;
      }
      for (String id : link.entityIds) {
        ownerOfEntity.put(id, owner);
      }
    }
    return owner;
  }
}

package dev.radiograph.daemon.store;

import dev.radiograph.daemon.query.TraceFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace as the daemon holds it: the latest document for each id (a later document with the
 * same id replaces the earlier one: in-progress updates, re-sent subsegments), and the facts
 * queries filter on, recomputed only when a document changes. Guarded by the store's lock.
 */
public final class StoredTrace implements TraceFacts {
  private final String traceId;
  private final Map<String, DocumentSummary> documents = new LinkedHashMap<>();
  private final long firstReceivedNanos;
  private long weight;
  private boolean factsStale = true;

  // Facts, computed from the documents.
  private DocumentSummary root;
  private double startTime;
  private double endTime;
  private boolean hasError;
  private boolean hasFault;
  private boolean hasThrottle;
  private final Set<String> services = new LinkedHashSet<>();
  private final Set<String> users = new LinkedHashSet<>();
  private final Map<String, List<Object>> annotations = new LinkedHashMap<>();
  private final Set<List<String>> edges = new java.util.HashSet<>(); // [from, to] node names

  StoredTrace(String traceId, long firstReceivedNanos) {
    this.traceId = traceId;
    this.firstReceivedNanos = firstReceivedNanos;
  }

  /** Adds or replaces a document; returns the change in weight. */
  long put(DocumentSummary document) {
    DocumentSummary previous = documents.put(document.id, document);
    long delta = document.weight() - (previous == null ? 0 : previous.weight());
    weight += delta;
    factsStale = true;
    return delta;
  }

  long weight() {
    return weight;
  }

  long firstReceivedNanos() {
    return firstReceivedNanos;
  }

  int documentCount() {
    return documents.size();
  }

  /** The documents, in the order they first arrived. */
  public List<DocumentSummary> documents() {
    return new ArrayList<>(documents.values());
  }

  private void refresh() {
    if (!factsStale) {
      return;
    }
    factsStale = false;
    root = null;
    startTime = Double.MAX_VALUE;
    endTime = 0;
    hasError = hasFault = hasThrottle = false;
    services.clear();
    users.clear();
    annotations.clear();
    Set<String> entityIds = new java.util.HashSet<>();
    for (DocumentSummary d : documents.values()) {
      entityIds.addAll(d.entityIds);
    }
    for (DocumentSummary d : documents.values()) {
      startTime = Math.min(startTime, d.startTime);
      endTime = Math.max(endTime, d.inProgress ? d.startTime : d.endTime);
      hasError |= d.anyError;
      hasFault |= d.anyFault;
      hasThrottle |= d.anyThrottle;
      if (!d.subsegment) {
        services.add(d.name);
        if (d.user != null) {
          users.add(d.user);
        }
        // The root: a segment with no parent in this trace, the earliest if several.
        boolean parentHere = d.parentId != null && entityIds.contains(d.parentId);
        if (!parentHere && (root == null || d.startTime < root.startTime)) {
          root = d;
        }
      }
      for (Map.Entry<String, List<Object>> e : d.annotations.entrySet()) {
        annotations.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).addAll(e.getValue());
      }
    }
    if (startTime == Double.MAX_VALUE) {
      startTime = 0;
    }
    edges.clear();
    findEdges();
  }

  /**
   * The trace's edges, as the service map draws them (api/ServiceGraph): a segment called from
   * another service's subsegment; a remote or AWS call that no segment continued, to a node named
   * after the call or its AWS resource; and a queue, topic or stream between a producer and the
   * consumer that continued its trace, as two edges through the resource.
   */
  private void findEdges() {
    Map<String, DocumentSummary> ownerOfEntity = new java.util.HashMap<>(); // entity id -> its segment
    Map<String, DocumentSummary.RemoteCall> calls = new java.util.HashMap<>();
    Set<String> continued = new java.util.HashSet<>();
    for (DocumentSummary d : documents.values()) {
      for (DocumentSummary.RemoteCall call : d.remoteCalls) {
        calls.put(call.id(), call);
      }
      if (!d.subsegment) {
        for (String id : d.entityIds) {
          ownerOfEntity.put(id, d);
        }
        if (d.parentId != null) {
          continued.add(d.parentId);
        }
      }
    }
    // Subsegments sent on their own belong to the segment their parent chain leads to.
    for (boolean progress = true; progress; ) {
      progress = false;
      for (DocumentSummary d : documents.values()) {
        DocumentSummary owner = d.subsegment && !ownerOfEntity.containsKey(d.id) ? ownerOfEntity.get(d.parentId) : null;
        if (owner != null) {
          for (String id : d.entityIds) {
            ownerOfEntity.put(id, owner);
          }
          progress = true;
        }
      }
    }
    for (DocumentSummary d : documents.values()) {
      DocumentSummary owner = d.subsegment ? ownerOfEntity.get(d.id) : d;
      if (owner == null) {
        continue;
      }
      for (DocumentSummary.RemoteCall call : d.remoteCalls) {
        boolean aws = "aws".equals(call.namespace());
        if (!continued.contains(call.id()) || (aws && call.awsResource().carriesMessages())) {
          edges.add(List.of(owner.name, aws ? call.awsResource().name() : call.name()));
        }
      }
      DocumentSummary caller = d.subsegment || d.parentId == null ? null : ownerOfEntity.get(d.parentId);
      if (caller != null && caller != d) {
        DocumentSummary.RemoteCall call = calls.get(d.parentId);
        boolean hop = call != null && "aws".equals(call.namespace()) && call.awsResource().carriesMessages();
        edges.add(List.of(hop ? call.awsResource().name() : caller.name, d.name));
      }
    }
  }

  /** The root segment, or null when only subsegments have arrived. */
  public DocumentSummary root() {
    refresh();
    return root;
  }

  /** Epoch seconds of the earliest start. */
  public double startTime() {
    refresh();
    return startTime;
  }

  /**
   * Whether segments are missing or unfinished: no root yet, the root still in progress, or the
   * root names a caller whose segment has not arrived (a downstream service often reports first).
   */
  public boolean isPartial() {
    refresh();
    return root == null || root.inProgress || root.parentId != null;
  }

  @Override
  public String traceId() {
    return traceId;
  }

  @Override
  public double responseTime() {
    refresh();
    if (root == null) {
      return 0;
    }
    return root.inProgress ? 0 : Math.max(0, root.endTime - root.startTime);
  }

  @Override
  public double duration() {
    refresh();
    return Math.max(0, endTime - startTime);
  }

  @Override
  public Integer httpStatus() {
    refresh();
    return root == null ? null : root.httpStatus;
  }

  @Override
  public String httpUrl() {
    refresh();
    return root == null ? null : root.httpUrl;
  }

  @Override
  public String httpMethod() {
    refresh();
    return root == null ? null : root.httpMethod;
  }

  @Override
  public String httpUserAgent() {
    refresh();
    return root == null ? null : root.httpUserAgent;
  }

  @Override
  public String httpClientIp() {
    refresh();
    return root == null ? null : root.httpClientIp;
  }

  @Override
  public boolean hasError() {
    refresh();
    return hasError;
  }

  @Override
  public boolean hasFault() {
    refresh();
    return hasFault;
  }

  @Override
  public boolean hasThrottle() {
    refresh();
    return hasThrottle;
  }

  @Override
  public Collection<String> services() {
    refresh();
    return services;
  }

  @Override
  public boolean hasEdge(String from, String to) {
    refresh();
    return edges.contains(List.of(from, to));
  }

  @Override
  public Collection<Object> annotationValues(String key) {
    refresh();
    List<Object> values = annotations.get(key);
    return values == null ? List.of() : values;
  }

  /** Every annotation key with its values. */
  public Map<String, List<Object>> annotations() {
    refresh();
    return annotations;
  }

  @Override
  public Collection<String> users() {
    refresh();
    return users;
  }
}

package dev.radiograph.daemon.store;

import dev.radiograph.daemon.query.TraceFacts;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * One trace as it was when this snapshot was taken: immutable, so a query reads it without any
 * lock while ingest goes on (a later document publishes a new snapshot; see {@link TraceLog}).
 * Holds the latest document for each id (a later document with the same id replaces the earlier
 * one: in-progress updates, re-sent subsegments; never a complete one by an in-progress copy).
 * The facts queries filter on are computed from the documents on first use, once per snapshot.
 */
public final class StoredTrace implements TraceFacts {
  private final String traceId;
  private final DocumentSummary[][] chunks;
  private final int count;
  private final boolean truncated;
  // Computed on first use. Facts is immutable (final fields), so a racy first use is harmless:
  // two readers may both compute it, and either sees a complete object.
  private Facts facts;
  private Set<List<String>> edges; // computed on first use, as the facts

  StoredTrace(String traceId, DocumentSummary[][] chunks, int count, boolean truncated) {
    this.traceId = traceId;
    this.chunks = chunks;
    this.count = count;
    this.truncated = truncated;
  }

  /** The number of documents kept. */
  public int documentCount() {
    return count;
  }

  /**
   * Whether the trace passed the store's per-trace cap ({@code --max-trace-documents}, or half of
   * {@code --max-bytes}): documents that arrived after that were counted and dropped. Shown as
   * X-Ray's {@code LimitExceeded}.
   */
  public boolean truncated() {
    return truncated;
  }

  /** The documents, in the order they first arrived. */
  public List<DocumentSummary> documents() {
    return new Documents();
  }

  /** A read-only view of the snapshot's documents. */
  private final class Documents extends AbstractList<DocumentSummary> implements RandomAccess {
    @Override
    public DocumentSummary get(int i) {
      java.util.Objects.checkIndex(i, count);
      return chunks[i / TraceLog.CHUNK][i % TraceLog.CHUNK];
    }

    @Override
    public int size() {
      return count;
    }
  }

  /** The facts of the snapshot: root, times, flags, services, users. */
  private static final class Facts {
    final DocumentSummary root;
    final double startTime;
    final double endTime;
    final boolean hasError;
    final boolean hasFault;
    final boolean hasThrottle;
    final List<String> services;
    final List<String> users;

    Facts(List<DocumentSummary> documents) {
      double start = Double.MAX_VALUE;
      double end = 0;
      boolean error = false;
      boolean fault = false;
      boolean throttle = false;
      Set<String> services = new LinkedHashSet<>();
      Set<String> users = new LinkedHashSet<>();
      Set<String> entityIds = null; // built only when a segment names a parent
      DocumentSummary root = null;
      for (DocumentSummary d : documents) {
        start = Math.min(start, d.startTime);
        end = Math.max(end, d.inProgress ? d.startTime : d.endTime);
        error |= d.anyError;
        fault |= d.anyFault;
        throttle |= d.anyThrottle;
        if (d.subsegment) {
          continue;
        }
        services.add(d.name);
        if (d.user != null) {
          users.add(d.user);
        }
        // The root: a segment with no parent in this trace, the earliest if several.
        if (d.parentId != null && entityIds == null) {
          entityIds = new HashSet<>();
          for (DocumentSummary e : documents) {
            entityIds.addAll(e.entityIds);
          }
        }
        boolean parentHere = d.parentId != null && entityIds.contains(d.parentId);
        if (!parentHere && (root == null || d.startTime < root.startTime)) {
          root = d;
        }
      }
      this.root = root;
      this.startTime = start == Double.MAX_VALUE ? 0 : start;
      this.endTime = end;
      this.hasError = error;
      this.hasFault = fault;
      this.hasThrottle = throttle;
      this.services = List.copyOf(services);
      this.users = List.copyOf(users);
    }
  }

  private Facts facts() {
    Facts f = facts;
    if (f == null) {
      f = new Facts(documents());
      facts = f;
    }
    return f;
  }

  /** The root segment, or null when only subsegments have arrived. */
  public DocumentSummary root() {
    return facts().root;
  }

  /** Epoch seconds of the earliest start. */
  public double startTime() {
    return facts().startTime;
  }

  /**
   * Whether segments are missing or unfinished: no root yet, the root still in progress, or the
   * root names a caller whose segment has not arrived (a downstream service often reports first).
   */
  public boolean isPartial() {
    DocumentSummary root = root();
    return root == null || root.inProgress || root.parentId != null;
  }

  @Override
  public String traceId() {
    return traceId;
  }

  @Override
  public double responseTime() {
    DocumentSummary root = root();
    return root == null ? 0 : root.responseTime();
  }

  @Override
  public double duration() {
    Facts f = facts();
    return Math.max(0, f.endTime - f.startTime);
  }

  @Override
  public Integer httpStatus() {
    DocumentSummary root = root();
    return root == null ? null : root.httpStatus;
  }

  @Override
  public String httpUrl() {
    DocumentSummary root = root();
    return root == null ? null : root.httpUrl;
  }

  @Override
  public String httpMethod() {
    DocumentSummary root = root();
    return root == null ? null : root.httpMethod;
  }

  @Override
  public String httpUserAgent() {
    DocumentSummary root = root();
    return root == null ? null : root.httpUserAgent;
  }

  @Override
  public String httpClientIp() {
    DocumentSummary root = root();
    return root == null ? null : root.httpClientIp;
  }

  @Override
  public boolean hasError() {
    return facts().hasError;
  }

  @Override
  public boolean hasFault() {
    return facts().hasFault;
  }

  @Override
  public boolean hasThrottle() {
    return facts().hasThrottle;
  }

  @Override
  public Collection<String> services() {
    return facts().services;
  }

  @Override
  public boolean hasEdge(String from, String to) {
    Set<List<String>> e = edges;
    if (e == null) {
      e = edges(documents());
      edges = e; // immutable once built: a racy first use is harmless, as for the facts
    }
    return e.contains(List.of(from, to));
  }

  /** The trace's edges as [from, to] node names, drawn as the service map draws them. */
  private static Set<List<String>> edges(List<DocumentSummary> documents) {
    Set<List<String>> edges = new HashSet<>();
    TraceCalls.visit(documents, new TraceCalls.Visitor() {
      @Override
      public void inferred(DocumentSummary owner, DocumentSummary.RemoteCall call) {
        edges.add(List.of(owner.name, "aws".equals(call.namespace()) ? call.awsResource().name() : call.name()));
      }

      @Override
      public void segment(DocumentSummary segment, DocumentSummary caller, DocumentSummary.RemoteCall through) {
        if (through != null) {
          edges.add(List.of(through.awsResource().name(), segment.name));
        } else if (caller != null && caller != segment) {
          edges.add(List.of(caller.name, segment.name));
        }
      }
    });
    return Set.copyOf(edges);
  }

  @Override
  public Collection<Object> annotationValues(String key) {
    List<Object> values = null;
    for (DocumentSummary d : documents()) {
      for (int i = 0; i < d.annotationKeys.length; i++) {
        if (d.annotationKeys[i].equals(key)) {
          if (values == null) {
            values = new ArrayList<>(2);
          }
          values.add(d.annotationValues[i]);
        }
      }
    }
    return values == null ? List.of() : values;
  }

  /** Every annotation key with its values, in the order the documents carry them. */
  public Map<String, List<Object>> annotations() {
    Map<String, List<Object>> annotations = new LinkedHashMap<>();
    for (DocumentSummary d : documents()) {
      for (int i = 0; i < d.annotationKeys.length; i++) {
        annotations.computeIfAbsent(d.annotationKeys[i], k -> new ArrayList<>(1)).add(d.annotationValues[i]);
      }
    }
    return annotations;
  }

  @Override
  public Collection<String> users() {
    return facts().users;
  }
}

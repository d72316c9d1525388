package dev.radiograph.daemon.store;

import dev.radiograph.internal.JsonReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's documents as X-Ray's BatchGetTraces returns them: subsegments that were sent on their
 * own put back under their parents; a subsegment whose parent never arrived is returned on its
 * own. Linear in the documents: every parent is found through one index of entity ids, and each
 * parent's subsegments through an index of their own, built once.
 *
 * <p>Input is untrusted: parents that form a cycle, or chains that would nest deeper than
 * {@value #MAX_DEPTH} entities, are cut, and the cut documents are returned on their own.
 */
public final class TraceAssembly {
  /**
   * How deep (in entities) a document may be put under others. Each level is two JSON levels
   * (the entity, its subsegments array), and the document itself nests at most
   * {@code DocumentSummary.MAX_NESTING} JSON levels: this keeps the result within the JSON
   * writer's 256 levels.
   */
  static final int MAX_DEPTH = 64;

  private TraceAssembly() {}

  /** An entity found in a parsed document: the document's position, and how deep in it the entity is. */
  private record Entity(Map<String, Object> map, int document, int depth) {}

  /** Document id to document text, in arrival order, for the documents that are not nested in another. */
  public static Map<String, String> segments(StoredTrace trace) {
    List<DocumentSummary> documents = trace.documents();
    int n = documents.size();
    Map<String, String> result = new LinkedHashMap<>();
    boolean anyLoose = false;
    for (DocumentSummary d : documents) {
      anyLoose |= d.isSubsegment();
    }
    if (!anyLoose) {
      for (DocumentSummary d : documents) {
        result.put(d.id(), d.text());
      }
      return result;
    }
    List<Map<String, Object>> parsed = new ArrayList<>(n);
    Map<String, Entity> entities = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byte[] utf8 = documents.get(i).utf8();
      Map<String, Object> doc = JsonReader.asObject(JsonReader.parse(utf8, 0, utf8.length, DocumentSummary.MAX_NESTING), "a document");
      parsed.add(doc);
      // A document's own entity wins over a copy of it nested in another (an in-progress parent).
      entities.put(documents.get(i).id(), new Entity(doc, i, 0));
    }
    for (int i = 0; i < n; i++) {
      indexNested(parsed.get(i), i, entities);
    }

    int[] parent = new int[n]; // the document a loose subsegment goes into, or -1
    Entity[] parentEntity = new Entity[n];
    for (int i = 0; i < n; i++) {
      parent[i] = -1;
      DocumentSummary d = documents.get(i);
      Entity p = d.isSubsegment() ? entities.get(d.parentId()) : null;
      if (p != null && p.document != i) {
        parent[i] = p.document;
        parentEntity[i] = p;
      }
    }
    breakCycles(parent);
    limitDepth(parent, parentEntity);

    // Attach, in arrival order; a nested copy with the same id (sent in progress) is replaced in place.
    boolean[] changed = new boolean[n];
    Map<List<Object>, Map<String, Integer>> positions = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      if (parent[i] < 0) {
        continue;
      }
      Map<String, Object> child = parsed.get(i);
      child.remove("type");
      child.remove("trace_id");
      child.remove("parent_id");
      List<Object> subs = subsegments(parentEntity[i].map);
      Map<String, Integer> at = positions.computeIfAbsent(subs, TraceAssembly::positionsOf);
      Integer existing = at.get(documents.get(i).id());
      if (existing != null) {
        subs.set(existing, child);
      } else {
        at.put(documents.get(i).id(), subs.size());
        subs.add(child);
      }
      changed[parent[i]] = true;
    }
    for (int i = 0; i < n; i++) {
      if (parent[i] < 0) {
        DocumentSummary d = documents.get(i);
        result.put(d.id(), changed[i] ? Json.toText(parsed.get(i)) : d.text());
      }
    }
    return result;
  }

  private static void indexNested(Map<String, Object> doc, int document, Map<String, Entity> entities) {
    ArrayDeque<Entity> pending = new ArrayDeque<>();
    pending.add(new Entity(doc, document, 0));
    while (!pending.isEmpty()) {
      Entity e = pending.poll();
      if (e.depth > 0 && e.map.get("id") instanceof String) {
        entities.putIfAbsent((String) e.map.get("id"), e);
      }
      Object subs = e.map.get("subsegments");
      if (subs instanceof List) {
        for (Object sub : (List<?>) subs) {
          if (sub instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) sub;
            pending.add(new Entity(child, document, e.depth + 1));
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> subsegments(Map<String, Object> entity) {
    Object subs = entity.get("subsegments");
    if (!(subs instanceof List)) {
      subs = new ArrayList<>();
      entity.put("subsegments", subs);
    }
    return (List<Object>) subs;
  }

  private static Map<String, Integer> positionsOf(List<Object> subsegments) {
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < subsegments.size(); i++) {
      if (subsegments.get(i) instanceof Map && ((Map<?, ?>) subsegments.get(i)).get("id") instanceof String) {
        positions.putIfAbsent((String) ((Map<?, ?>) subsegments.get(i)).get("id"), i);
      }
    }
    return positions;
  }

  /** Each document has at most one parent, so the links are a functional graph: one walk finds every cycle. */
  private static void breakCycles(int[] parent) {
    byte[] state = new byte[parent.length]; // 0 unseen, 1 on the current walk, 2 done
    List<Integer> walk = new ArrayList<>();
    for (int start = 0; start < parent.length; start++) {
      int node = start;
      while (node >= 0 && state[node] == 0) {
        state[node] = 1;
        walk.add(node);
        node = parent[node];
      }
      if (node >= 0 && state[node] == 1) {
        parent[node] = -1; // a cycle: this one stays on its own
      }
      for (int w : walk) {
        state[w] = 2;
      }
      walk.clear();
    }
  }

  /** Cuts the chains that would nest deeper than {@link #MAX_DEPTH}; parents are resolved before children. */
  private static void limitDepth(int[] parent, Entity[] parentEntity) {
    int[] depth = new int[parent.length];
    boolean[] known = new boolean[parent.length];
    List<Integer> walk = new ArrayList<>();
    for (int start = 0; start < parent.length; start++) {
      int node = start;
      while (node >= 0 && !known[node]) {
        walk.add(node);
        node = parent[node];
      }
      for (int k = walk.size() - 1; k >= 0; k--) { // from the topmost unresolved document down
        int d = walk.get(k);
        if (parent[d] >= 0) {
          depth[d] = depth[parent[d]] + parentEntity[d].depth + 1;
          if (depth[d] > MAX_DEPTH) {
            parent[d] = -1;
            depth[d] = 0;
          }
        }
        known[d] = true;
      }
      walk.clear();
    }
  }
}

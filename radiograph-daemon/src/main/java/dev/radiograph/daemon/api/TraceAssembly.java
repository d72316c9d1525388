package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.store.DocumentSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace's documents as BatchGetTraces returns them: each subsegment that was sent on its own
 * put back under its parent, as X-Ray does, replacing an in-progress copy of itself there.
 *
 * <p>A subsegment stays a document of its own when its parent never arrived, when its parents
 * lead back to itself (a cycle, which only a hand-made document can make), or when putting it
 * back would nest the result deeper than {@link Json#MAX_DEPTH}: every document returned is one
 * that the daemon, and the SDK's writer, could have carried. Linear in the size of the documents.
 */
final class TraceAssembly {
  private TraceAssembly() {}

  /** Where an entity is: its object, its document, and how deep its object is in that document (root: 1). */
  private record Place(Map<String, Object> entity, int document, int depth) {}

  /** The documents to return, by id, each as JSON text. */
  static Map<String, String> assemble(List<DocumentSummary> documents) {
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
    int n = documents.size();
    List<Map<String, Object>> roots = new ArrayList<>(n);
    int[] height = new int[n];
    Map<String, Place> entities = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> root = Json.asObject(Json.parse(documents.get(i).text()), "a stored document");
      roots.add(root);
      // A document sent on its own is the one to attach to, not an in-progress copy of it nested elsewhere.
      if (documents.get(i).isSubsegment()) {
        entities.put(documents.get(i).id(), new Place(root, i, 1));
      }
    }
    for (int i = 0; i < n; i++) {
      height[i] = index(roots.get(i), i, entities);
    }

    int[] parentDocument = new int[n]; // -1: returned on its own
    Place[] parentPlace = new Place[n];
    for (int i = 0; i < n; i++) {
      parentDocument[i] = -1;
      DocumentSummary d = documents.get(i);
      Place parent = d.isSubsegment() ? entities.get(d.parentId()) : null;
      if (parent != null && parent.document() != i) {
        parentDocument[i] = parent.document();
        parentPlace[i] = parent;
      }
    }
    keepWithinDepth(parentDocument, parentPlace, height);

    boolean[] changed = new boolean[n];
    Map<Map<String, Object>, List<Integer>> children = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      if (parentDocument[i] >= 0) {
        children.computeIfAbsent(parentPlace[i].entity(), k -> new ArrayList<>()).add(i);
        changed[parentDocument[i]] = true;
      }
    }
    for (Map.Entry<Map<String, Object>, List<Integer>> e : children.entrySet()) {
      attach(e.getKey(), e.getValue(), documents, roots);
    }
    for (int i = 0; i < n; i++) {
      if (parentDocument[i] < 0) {
        result.put(documents.get(i).id(), changed[i] ? JsonOutput.toText(roots.get(i)) : documents.get(i).text());
      }
    }
    return result;
  }

  /**
   * Records every entity of one document by id (the first seen wins) and returns the document's
   * depth: that of its deepest object or array, the root object being 1. Iterative: a stored
   * document nests at most {@link Json#MAX_DEPTH} deep, but this need not rely on it.
   */
  @SuppressWarnings("unchecked")
  private static int index(Map<String, Object> root, int document, Map<String, Place> entities) {
    int deepest = 1;
    ArrayDeque<Object[]> pending = new ArrayDeque<>(); // {value, depth, isEntity}
    pending.push(new Object[] {root, 1, Boolean.TRUE});
    while (!pending.isEmpty()) {
      Object[] next = pending.pop();
      Object value = next[0];
      int depth = (Integer) next[1];
      deepest = Math.max(deepest, depth);
      if (value instanceof Map) {
        Map<String, Object> map = (Map<String, Object>) value;
        boolean entity = (Boolean) next[2];
        if (entity && map.get("id") instanceof String) {
          entities.putIfAbsent((String) map.get("id"), new Place(map, document, depth));
        }
        for (Map.Entry<String, Object> member : map.entrySet()) {
          Object child = member.getValue();
          if (child instanceof Map || child instanceof List) {
            boolean subsegments = entity && "subsegments".equals(member.getKey());
            pending.push(new Object[] {child, depth + 1, subsegments});
          }
        }
      } else {
        boolean subsegments = (Boolean) next[2]; // the items of a "subsegments" array are entities
        for (Object item : (List<Object>) value) {
          if (item instanceof Map || item instanceof List) {
            pending.push(new Object[] {item, depth + 1, subsegments && item instanceof Map});
          }
        }
      }
    }
    return deepest;
  }

  /**
   * Clears {@code parentDocument[i]} where putting document i under its parent would close a
   * cycle or nest past {@link Json#MAX_DEPTH}. Works out, parents first, each document's offset:
   * how much deeper its objects sit once put back than in the document itself (0 on its own).
   * Iterative over chains of any length.
   */
  private static void keepWithinDepth(int[] parentDocument, Place[] parentPlace, int[] height) {
    int n = parentDocument.length;
    int[] offset = new int[n];
    byte[] state = new byte[n]; // 0 unresolved, 1 on the current chain, 2 resolved
    ArrayDeque<Integer> chain = new ArrayDeque<>();
    for (int start = 0; start < n; start++) {
      int at = start;
      while (state[at] == 0) {
        state[at] = 1;
        chain.push(at);
        if (parentDocument[at] < 0) {
          break;
        }
        at = parentDocument[at];
        if (state[at] == 1) {
          parentDocument[chain.peek()] = -1; // a cycle: the last one on it stays on its own
          break;
        }
      }
      while (!chain.isEmpty()) {
        int d = chain.pop();
        int parent = parentDocument[d];
        if (parent >= 0) {
          // The root object goes in the parent entity's "subsegments" array: two levels below it.
          int attached = offset[parent] + parentPlace[d].depth() + 1;
          if (attached + height[d] > Json.MAX_DEPTH) {
            parentDocument[d] = -1;
          } else {
            offset[d] = attached;
          }
        }
        state[d] = 2;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void attach(Map<String, Object> parent, List<Integer> children, List<DocumentSummary> documents,
      List<Map<String, Object>> roots) {
    Set<String> ids = new HashSet<>();
    for (int child : children) {
      ids.add(documents.get(child).id());
    }
    Object existing = parent.get("subsegments");
    List<Object> subsegments = new ArrayList<>();
    if (existing instanceof List) {
      for (Object sub : (List<Object>) existing) {
        // The copy sent on its own replaces one nested here (an in-progress copy, usually).
        if (!(sub instanceof Map && ids.contains(String.valueOf(((Map<?, ?>) sub).get("id"))))) {
          subsegments.add(sub);
        }
      }
    }
    for (int child : children) {
      Map<String, Object> root = roots.get(child);
      root.remove("type");
      root.remove("trace_id");
      root.remove("parent_id");
      subsegments.add(root);
    }
    parent.put("subsegments", subsegments);
  }
}

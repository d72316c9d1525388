package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What the UDP daemon received, as traces: segments, and every entity of a trace with its parent. */
final class ReceivedTraces {
  /** One entity of a trace, with the id of the entity it belongs to (null for a root segment). */
  record Entity(JsonNode json, String parentId) {
    String name() {
      return json.get("name").asText();
    }

    String id() {
      return json.get("id").asText();
    }
  }

  private final UdpDaemon daemon;

  ReceivedTraces(UdpDaemon daemon) {
    this.daemon = daemon;
  }

  /** The first segment document that {@code matches}, waiting up to 10 seconds for it. */
  JsonNode awaitSegment(Predicate<JsonNode> matches) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode document : documents()) {
        if (!document.has("type") && matches.test(document)) {
          return document;
        }
      }
      receiveMore(Duration.ofMillis(200));
    }
    return fail("no matching segment arrived");
  }

  /** The segment of trace {@code traceId} named {@code name}. */
  JsonNode awaitSegment(String traceId, String name) {
    return awaitSegment(d -> d.get("trace_id").asText().equals(traceId) && d.get("name").asText().equals(name));
  }

  /** Every segment document of {@code traceId} received so far, after waiting {@code quiet}. */
  List<JsonNode> segments(String traceId, Duration quiet) {
    receiveMore(quiet);
    List<JsonNode> segments = new ArrayList<>();
    for (JsonNode document : documents()) {
      if (!document.has("type") && document.get("trace_id").asText().equals(traceId)) {
        segments.add(document);
      }
    }
    return segments;
  }

  /** Every entity of {@code traceId} received so far: nested ones, and subsegments sent on their own. */
  List<Entity> entities(String traceId) {
    List<Entity> entities = new ArrayList<>();
    for (JsonNode document : documents()) {
      if (document.get("trace_id").asText().equals(traceId)) {
        String parent = document.has("type") || document.has("parent_id") ? document.path("parent_id").asText(null) : null;
        collect(document, parent, entities);
      }
    }
    return entities;
  }

  /** The entities of {@code traceId} named {@code name}. */
  List<Entity> named(String traceId, String name) {
    return entities(traceId).stream().filter(e -> e.name().equals(name)).toList();
  }

  private static void collect(JsonNode entity, String parentId, List<Entity> into) {
    into.add(new Entity(entity, parentId));
    for (JsonNode child : entity.path("subsegments")) {
      collect(child, entity.get("id").asText(), into);
    }
  }

  private List<JsonNode> documents() {
    try {
      return daemon.documents();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void receiveMore(Duration wait) {
    try {
      daemon.receive(daemon.rawDatagrams().size() + 1, wait);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

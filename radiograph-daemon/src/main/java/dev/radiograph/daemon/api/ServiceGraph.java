package dev.radiograph.daemon.api;

import dev.radiograph.daemon.store.AwsResourceNode;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceCalls;
import dev.radiograph.daemon.json.JsonOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * X-Ray's service graph for a set of traces: a node per service (segment name), an inferred node
 * per downstream call that has no segment of its own (a database, a third-party API), and an edge
 * per caller/callee pair, each with request, error, fault and throttle counts and response-time
 * histograms, in the shapes of {@code GetServiceGraph}.
 */
final class ServiceGraph {
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private double start = Double.MAX_VALUE;
  private double end;

  /** Adds a trace's segments and calls, from an immutable snapshot of it. */
  void add(StoredTrace trace) {
    Map<String, Node> messageHops = new HashMap<>(); // call id -> its resource's node
    TraceCalls.visit(trace.documents(), new TraceCalls.Visitor() {
      @Override
      public void inferred(DocumentSummary owner, DocumentSummary.RemoteCall call) {
        double time = Math.max(0, call.endTime() - call.startTime());
        Node inferred;
        if ("aws".equals(call.namespace())) {
          // Keyed by type and name: a table named like the service that uses it is its own node.
          AwsResourceNode resource = call.awsResource();
          inferred = node(resource.type() + "|" + resource.name(), resource.name(), resource.type());
        } else {
          inferred = node(call.name(), "remote");
        }
        messageHops.put(call.id(), inferred);
        inferred.stats.add(time, call.error(), call.fault(), call.throttle());
        node(owner.name(), owner.origin()).edge(inferred.key)
            .add(time, call.error(), call.fault(), call.throttle());
      }

      @Override
      public void segment(DocumentSummary d, DocumentSummary caller, DocumentSummary.RemoteCall through) {
        Node node = node(d.name(), d.origin());
        if ("remote".equals(node.type)) {
          node.type = d.origin(); // first seen as a call: it is a service that sends its own segments
        }
        node.root |= caller == null;
        double responseTime = d.responseTime();
        node.stats.add(responseTime, d.error(), d.fault(), d.throttle());
        start = Math.min(start, d.startTime());
        end = Math.max(end, d.startTime() + responseTime);
        if (through != null) {
          messageHops.get(through.id()).edge(d.name()).add(responseTime, d.error(), d.fault(), d.throttle());
        } else if (caller != null && caller != d) {
          node(caller.name(), caller.origin()).edge(d.name())
              .add(responseTime, d.error(), d.fault(), d.throttle());
        }
      }
    });
  }

  private Node node(String name, String type) {
    return node(name, name, type);
  }

  /** The node under {@code key}: a service's or remote call's name, or an AWS resource's type and name. */
  private Node node(String key, String name, String type) {
    Node node = nodes.get(key);
    if (node == null) {
      node = new Node(nodes.size(), key, name, type);
      nodes.put(key, node);
    } else if ("remote".equals(node.type) && type != null) {
      node.type = type; // a call's guess gives way to what the callee's documents say it is
    }
    return node;
  }

  /** The whole {@code GetServiceGraph} answer for the range [from, to]. */
  void write(JsonOutput w, double from, double to) {
    w.beginObject();
    writeServices(w, from, to);
    w.name("StartTime").value(from)
        .name("EndTime").value(to)
        .name("ContainsOldGroupVersions").value(false)
        .endObject();
  }

  /** The earliest start of the traces added, or {@code fallback} when none were. */
  double start(double fallback) {
    return start == Double.MAX_VALUE ? fallback : start;
  }

  /** The latest end of the traces added, or {@code fallback} when none were. */
  double end(double fallback) {
    return end == 0 ? fallback : end;
  }

  /**
   * The {@code Services} member (its name and array) of an open object: what {@code GetServiceGraph}
   * and {@code GetTraceGraph} share.
   */
  void writeServices(JsonOutput w, double from, double to) {
    w.name("Services").beginArray();
    for (Node node : nodes.values()) {
      w.beginObject()
          .name("ReferenceId").value(node.referenceId)
          .name("Name").value(node.name)
          .name("Names").beginArray().value(node.name).endArray()
          .name("Root").value(node.root)
          .name("Type").value(node.type == null ? "service" : node.type)
          .name("State").value("active")
          .name("StartTime").value(start(from))
          .name("EndTime").value(end(to))
          .name("Edges").beginArray();
      for (Map.Entry<String, Statistics> edge : node.edges.entrySet()) {
        w.beginObject()
            .name("ReferenceId").value(nodes.get(edge.getKey()).referenceId)
            .name("StartTime").value(start(from))
            .name("EndTime").value(end(to))
            .name("SummaryStatistics");
        edge.getValue().writeSummary(w);
        w.name("ResponseTimeHistogram");
        edge.getValue().writeHistogram(w);
        w.name("Aliases").beginArray().endArray().endObject();
      }
      w.endArray().name("SummaryStatistics");
      node.stats.writeSummary(w);
      w.name("ResponseTimeHistogram");
      node.stats.writeHistogram(w);
      w.name("DurationHistogram");
      node.stats.writeHistogram(w);
      w.endObject();
    }
    w.endArray();
  }

  private static final class Node {
    final int referenceId;
    final String key;
    final String name;
    String type;
    boolean root;
    final Statistics stats = new Statistics();
    final Map<String, Statistics> edges = new LinkedHashMap<>();

    Node(int referenceId, String key, String name, String type) {
      this.referenceId = referenceId;
      this.key = key;
      this.name = name;
      this.type = type;
    }

    Statistics edge(String to) {
      return edges.computeIfAbsent(to, k -> new Statistics());
    }
  }

  /** Counts and a response-time histogram (bucketed to two significant digits, as X-Ray shows). */
  static final class Statistics {
    long ok;
    long errorOther;
    long throttle;
    long fault;
    long total;
    double totalResponseTime;
    final TreeMap<Double, Long> histogram = new TreeMap<>();

    void add(double responseTime, boolean error, boolean isFault, boolean isThrottle) {
      total++;
      totalResponseTime += responseTime;
      if (isFault) {
        fault++;
      } else if (isThrottle) {
        throttle++;
      } else if (error) {
        errorOther++;
      } else {
        ok++;
      }
      histogram.merge(bucket(responseTime), 1L, Long::sum);
    }

    private static double bucket(double seconds) {
      if (seconds <= 0) {
        return 0;
      }
      double magnitude = Math.pow(10, Math.floor(Math.log10(seconds)) - 1);
      return Math.round(seconds / magnitude) * magnitude;
    }

    void writeSummary(JsonOutput w) {
      w.beginObject()
          .name("OkCount").value(ok)
          .name("ErrorStatistics").beginObject()
          .name("ThrottleCount").value(throttle)
          .name("OtherCount").value(errorOther)
          .name("TotalCount").value(throttle + errorOther)
          .endObject()
          .name("FaultStatistics").beginObject()
          .name("OtherCount").value(fault)
          .name("TotalCount").value(fault)
          .endObject()
          .name("TotalCount").value(total)
          .name("TotalResponseTime").value(totalResponseTime)
          .endObject();
    }

    void writeHistogram(JsonOutput w) {
      w.beginArray();
      for (Map.Entry<Double, Long> e : histogram.entrySet()) {
        w.beginObject().name("Value").value(e.getKey()).name("Count").value(e.getValue()).endObject();
      }
      w.endArray();
    }
  }

  /** The statistics of the service (node) named {@code name}, or null when no trace added has it. */
  Statistics serviceStatistics(String name) {
    for (Node node : nodes.values()) {
      if (node.name.equals(name)) {
        return node.stats;
      }
    }
    return null;
  }

  /** The statistics of the calls from the node named {@code from} to the one named {@code to}, or null. */
  Statistics edgeStatistics(String from, String to) {
    for (Node node : nodes.values()) {
      if (node.name.equals(from)) {
        for (Map.Entry<String, Statistics> edge : node.edges.entrySet()) {
          if (nodes.get(edge.getKey()).name.equals(to)) {
            return edge.getValue();
          }
        }
      }
    }
    return null;
  }

  static List<String> names(ServiceGraph graph) {
    return new ArrayList<>(graph.nodes.keySet());
  }
}

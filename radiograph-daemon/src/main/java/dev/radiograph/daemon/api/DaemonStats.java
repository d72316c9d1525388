package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.sampling.SamplingProxy;
import dev.radiograph.daemon.store.StoreStats;
import dev.radiograph.daemon.store.TraceStore;
import java.util.Map;

/**
 * {@code GET /radiograph/stats}: what arrived, what was kept and dropped, what is stored, and each
 * sampling rule's counts.
 */
final class DaemonStats implements Operation {
  private final TraceStore store;
  private final SamplingProxy sampling;

  DaemonStats(TraceStore store, SamplingProxy sampling) {
    this.store = store;
    this.sampling = sampling;
  }

  @Override
  public byte[] answer(byte[] ignored) {
    StoreStats stats = store.stats();
    JsonOutput w = new JsonOutput().beginObject()
        .name("received").value(stats.received())
        .name("accepted").value(stats.accepted())
        .name("rejectedMalformed").value(stats.rejectedMalformed())
        .name("rejectedOversize").value(stats.rejectedOversize())
        .name("rejectedNonFinite").value(stats.rejectedNonFinite())
        .name("droppedOverload").value(stats.droppedOverload())
        .name("truncatedTraces").value(stats.truncatedTraces())
        .name("truncatedDocuments").value(stats.truncatedDocuments())
        .name("evictedTraces").value(stats.evictedTraces())
        .name("evictedDocuments").value(stats.evictedDocuments())
        .name("storedTraces").value(stats.storedTraces())
        .name("storedDocuments").value(stats.storedDocuments())
        .name("storedBytes").value(stats.storedBytes())
        .name("store").value(store.description());
    w.name("sampling").beginObject();
    for (Map.Entry<String, long[]> e : sampling.totals().entrySet()) {
      long[] t = e.getValue();
      w.name(e.getKey()).beginObject()
          .name("requests").value(t[0]).name("sampled").value(t[1]).name("borrowed").value(t[2])
          .name("anomalies").value(t[3]).name("boosted").value(t[4] != 0)
          .endObject();
    }
    return w.endObject().endObject().toByteArray();
  }
}

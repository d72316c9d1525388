/**
 * Radiograph's core: the recorder and its entities, the trace header, sampling, emitting, the
 * plugins, and the integration kit that every framework integration is built on.
 *
 * <p>Exports only what applications and integrations program against. {@code dev.radiograph.internal}
 * is implementation; {@code dev.radiograph.sampling.wire} and {@code dev.radiograph.otlp.wire}
 * are the wire codecs the daemon shares with the SDK. On the module path none of them is
 * readable; on the class path they may change in any release.
 */
module dev.radiograph {
  requires java.net.http; // the plugins' metadata endpoints and the sampling proxy

  exports dev.radiograph;
  exports dev.radiograph.aws;
  exports dev.radiograph.config;
  exports dev.radiograph.context;
  exports dev.radiograph.emit;
  exports dev.radiograph.http;
  exports dev.radiograph.net;
  exports dev.radiograph.plugins;
  exports dev.radiograph.sampling;
  exports dev.radiograph.sql;

  uses dev.radiograph.EntityListener;
  uses dev.radiograph.context.SegmentContextProvider;
}

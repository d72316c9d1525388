package dev.radiograph.daemon.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.radiograph.otlp.wire.OtlpTraceEncoder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns X-Ray documents into OTLP spans: the inverse of {@link OtlpToXRay}. It is the SDK's own
 * encoder (core's {@link OtlpTraceEncoder}, what {@code exporter=otlp} sends), so that the SDK's
 * export and the daemon's agree by construction; the daemon reads the bytes back as
 * opentelemetry-proto messages.
 */
public final class XRayToOtlp {
  private XRayToOtlp() {}

  /**
   * The spans of {@code documents} (X-Ray JSON text) as one request.
   *
   * @param serviceName the service of subsegment documents sent on their own, or null
   * @throws IllegalArgumentException when a document is not a segment or subsegment
   */
  public static ExportTraceServiceRequest convert(List<String> documents, String serviceName) {
    OtlpTraceEncoder encoder = new OtlpTraceEncoder(serviceName);
    for (String document : documents) {
      encoder.add(document.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return ExportTraceServiceRequest.parseFrom(encoder.encode());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the OTLP encoder wrote an invalid request", e);
    }
  }
}

package dev.radiograph.daemon.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP's JSON encoding of the trace service messages. It is protobuf's JSON mapping (field names
 * in lowerCamelCase or as in the .proto, enums as names or numbers, 64-bit integers as numbers or
 * strings, unknown fields ignored) except that trace and span ids are hex, not base64.
 */
final class OtlpJson {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /**
   * Parses an {@code ExportTraceServiceRequest}.
   *
   * @throws InvalidProtocolBufferException or {@link IllegalArgumentException} with the reason
   */
  static ExportTraceServiceRequest parseRequest(String json) throws InvalidProtocolBufferException {
    Object tree = DocumentJson.parse(json);
    if (!(tree instanceof Map)) {
      throw new IllegalArgumentException("the request must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) tree;
    for (Object resourceSpans : list(root, "resourceSpans", "resource_spans")) {
      for (Object scopeSpans : list(resourceSpans, "scopeSpans", "scope_spans")) {
        for (Object span : list(scopeSpans, "spans", "spans")) {
          hexToBase64(span, "traceId", "trace_id");
          hexToBase64(span, "spanId", "span_id");
          hexToBase64(span, "parentSpanId", "parent_span_id");
          for (Object link : list(span, "links", "links")) {
            hexToBase64(link, "traceId", "trace_id");
            hexToBase64(link, "spanId", "span_id");
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    PARSER.merge(DocumentJson.write(root), builder);
    return builder.build();
  }

  /** The response as OTLP JSON ({@code {}} for a full success). */
  static String response(ExportTraceServiceResponse response) {
    try {
      return PRINTER.print(response);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e); // only Any fields fail to print, and there are none
    }
  }

  /** A {@code google.rpc.Status} as JSON: the body of an error answer. */
  static String status(int code, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("code", (long) code);
    status.put("message", message);
    return DocumentJson.write(status);
  }

  private static List<?> list(Object parent, String name, String protoName) {
    if (!(parent instanceof Map)) {
      return List.of();
    }
    Map<?, ?> map = (Map<?, ?>) parent;
    Object value = map.containsKey(name) ? map.get(name) : map.get(protoName);
    return value instanceof List ? (List<?>) value : List.of();
  }

  @SuppressWarnings("unchecked")
  private static void hexToBase64(Object parent, String name, String protoName) {
    if (!(parent instanceof Map)) {
      return;
    }
    Map<String, Object> map = (Map<String, Object>) parent;
    String key = map.containsKey(name) ? name : protoName;
    Object value = map.get(key);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      return;
    }
    String hex = (String) value;
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException(name + " must be hex digits, found '" + hex + "'");
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(name + " must be hex digits, found '" + hex + "'");
      }
      bytes[i] = (byte) (hi << 4 | lo);
    }
    map.put(key, Base64.getEncoder().encodeToString(bytes));
  }
}

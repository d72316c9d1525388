package dev.radiograph.awssdk;

import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceHeader;
import java.util.Map;
import java.util.Objects;

/**
 * For workers that poll SQS: a segment per message that continues the producer's trace from the
 * message's {@code AWSTraceHeader} system attribute (set by SQS from the producer's request, and
 * explicitly by {@link RadiographAwsInterceptor}).
 *
 * <pre>{@code
 * ReceiveMessageResponse received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
 *     .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER));
 * for (Message message : received.messages()) {
 *   try (Segment segment = SqsMessageTracing.beginSegment(recorder, "worker", message.attributesAsStrings())) {
 *     handle(message);
 *   }
 * }
 * }</pre>
 *
 * <p>A Lambda {@code SQSEvent}'s message gives the same map with {@code getAttributes()}.
 */
public final class SqsMessageTracing {
  /** The message system attribute that carries the producer's trace header. */
  public static final String TRACE_HEADER_ATTRIBUTE = SqsTraceHeaderAttribute.ATTRIBUTE;

  private SqsMessageTracing() {}

  /**
   * The producer's trace header from a message's system attributes; {@link TraceHeader#empty()}
   * when there is none (the message was sent untraced), or it is malformed.
   */
  public static TraceHeader traceHeader(Map<String, String> systemAttributes) {
    String value = systemAttributes != null ? systemAttributes.get(TRACE_HEADER_ATTRIBUTE) : null;
    return value != null ? TraceHeader.parse(value) : TraceHeader.empty();
  }

  /**
   * Begins a segment named {@code name} for one message, current on this thread, in the
   * producer's trace when the message carries one (a new trace otherwise). End it with
   * {@code close()} (try-with-resources) when the message is handled.
   */
  public static Segment beginSegment(Recorder recorder, String name, Map<String, String> systemAttributes) {
    Objects.requireNonNull(recorder, "recorder");
    return recorder.beginSegment(name, traceHeader(systemAttributes));
  }
}

package dev.radiograph.awssdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;
import software.amazon.awssdk.utils.builder.ToCopyableBuilder;

/**
 * Sets the {@code AWSTraceHeader} message system attribute on SQS {@code SendMessage} and on each
 * entry of {@code SendMessageBatch}, unless the caller set one. SQS also derives it from the HTTP
 * header, but emulators and proxies do not; the attribute travels with the message.
 *
 * <p>Written against the SDK's generic model API ({@link SdkField}, {@link MapTrait}, builders),
 * so this module needs no SQS classes: the attribute value's builder comes from the field's own
 * description.
 */
final class SqsTraceHeaderAttribute {
  static final String SERVICE = "Sqs";
  static final String ATTRIBUTE = "AWSTraceHeader";
  private static final String SYSTEM_ATTRIBUTES = "MessageSystemAttributes";
  private static final String ENTRIES = "Entries";

  private SqsTraceHeaderAttribute() {}

  /** {@code request} with the attribute set, or {@code request} itself when it is not a send or has one. */
  static SdkRequest addTo(String service, String operation, SdkRequest request, String traceHeader) {
    if (!SERVICE.equals(service)) {
      return request;
    }
    if ("SendMessage".equals(operation)) {
      return (SdkRequest) withAttribute(request, traceHeader);
    }
    if ("SendMessageBatch".equals(operation)) {
      return withAttributeOnEntries(request, traceHeader);
    }
    return request;
  }

  private static SdkRequest withAttributeOnEntries(SdkRequest request, String traceHeader) {
    SdkField<?> entriesField = field(request, ENTRIES);
    Object entries = entriesField != null ? entriesField.getValueOrDefault(request) : null;
    if (!(entries instanceof List) || ((List<?>) entries).isEmpty()) {
      return request;
    }
    List<Object> withHeaders = new ArrayList<>();
    for (Object entry : (List<?>) entries) {
      withHeaders.add(entry instanceof SdkPojo ? withAttribute((SdkPojo) entry, traceHeader) : entry);
    }
    return (SdkRequest) rebuilt(request, entriesField, withHeaders);
  }

  private static Object withAttribute(SdkPojo message, String traceHeader) {
    SdkField<?> attributesField = field(message, SYSTEM_ATTRIBUTES);
    if (attributesField == null) {
      return message;
    }
    Object current = attributesField.getValueOrDefault(message);
    Map<Object, Object> attributes = new LinkedHashMap<>();
    if (current instanceof Map) {
      if (((Map<?, ?>) current).containsKey(ATTRIBUTE)) {
        return message; // the caller's own header wins
      }
      attributes.putAll((Map<?, ?>) current);
    }
    Object value = stringValue(attributesField, traceHeader);
    if (value == null) {
      return message;
    }
    attributes.put(ATTRIBUTE, value);
    return rebuilt(message, attributesField, attributes);
  }

  /** A {@code MessageSystemAttributeValue} of data type String, built from the map field's value description. */
  private static Object stringValue(SdkField<?> attributesField, String text) {
    MapTrait map = attributesField.getOptionalTrait(MapTrait.class).orElse(null);
    SdkField<?> valueField = map != null ? map.valueFieldInfo() : null;
    Supplier<SdkPojo> constructor = valueField != null ? valueField.constructor() : null;
    if (constructor == null) {
      return null;
    }
    SdkPojo builder = constructor.get();
    SdkField<?> dataType = field(builder, "DataType");
    SdkField<?> stringValue = field(builder, "StringValue");
    if (dataType == null || stringValue == null || !(builder instanceof SdkBuilder)) {
      return null;
    }
    dataType.set(builder, "String");
    stringValue.set(builder, text);
    return ((SdkBuilder<?, ?>) builder).build();
  }

  private static Object rebuilt(SdkPojo pojo, SdkField<?> field, Object value) {
    if (!(pojo instanceof ToCopyableBuilder)) {
      return pojo;
    }
    Object builder = ((ToCopyableBuilder<?, ?>) pojo).toBuilder();
    field.set(builder, value);
    return ((SdkBuilder<?, ?>) builder).build();
  }

  private static SdkField<?> field(SdkPojo pojo, String memberName) {
    for (SdkField<?> field : pojo.sdkFields()) {
      if (memberName.equals(field.memberName())) {
        return field;
      }
    }
    return null;
  }
}

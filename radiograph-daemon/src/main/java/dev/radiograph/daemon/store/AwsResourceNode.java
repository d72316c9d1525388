package dev.radiograph.daemon.store;

import java.util.Map;

/**
 * The inferred service-graph node of a call to an AWS service, named and typed the way X-Ray's
 * service map shows it: a DynamoDB call is the table ({@code orders}, {@code AWS::DynamoDB::Table}),
 * an SQS call the queue, an S3 call the bucket, and so on, read from the fields of the call's
 * {@code aws} block that the SDKs record ({@code table_name}, {@code queue_url}, ...). A call whose
 * resource is not recorded is a node named after the service. Worked out once, when the document
 * is stored, from the few fields that name resources; the rest of the block is not kept.
 */
public record AwsResourceNode(String name, String type) {
  /** The node for a call named {@code service} (the SDK's service name) with {@code aws} (may be null). */
  static AwsResourceNode of(String service, Map<?, ?> aws) {
    String key = service == null ? "" : service.toLowerCase(java.util.Locale.ROOT);
    switch (key) {
      case "dynamodb":
        return resource(service, text(aws, "table_name"), "AWS::DynamoDB::Table");
      case "s3":
        return resource(service, text(aws, "bucket_name"), "AWS::S3::Bucket");
      case "sqs":
        return resource(service, lastPart(text(aws, "queue_url"), '/'), "AWS::SQS::Queue");
      case "sns":
        return resource(service, lastPart(text(aws, "topic_arn"), ':'), "AWS::SNS::Topic");
      case "lambda":
        return resource(service, lastPart(text(aws, "function_name"), ':'), "AWS::Lambda::Function");
      case "kinesis":
        return resource(service, text(aws, "stream_name"), "AWS::Kinesis::Stream");
      case "sfn":
        return resource(service, lastPart(text(aws, "state_machine_arn"), ':'), "AWS::StepFunctions::StateMachine");
      case "eventbridge":
        return resource(service, text(aws, "event_bus_name"), "AWS::Events::EventBus");
      default:
        return new AwsResourceNode(service, "AWS::" + service);
    }
  }

  /**
   * Whether the resource carries messages to consumers (a queue, topic, stream or event bus):
   * a consumer that continues the producer's trace is reached through it, not called by the
   * producer, so the service map draws the resource between the two.
   */
  public boolean carriesMessages() {
    return switch (type) {
      case "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Kinesis::Stream", "AWS::Events::EventBus" -> true;
      default -> false;
    };
  }

  /** Named after the resource when it was recorded, else after the service. */
  private static AwsResourceNode resource(String service, String resource, String type) {
    return new AwsResourceNode(resource != null && !resource.isEmpty() ? resource : service, type);
  }

  private static String text(Map<?, ?> aws, String key) {
    Object value = aws == null ? null : aws.get(key);
    return value instanceof String ? (String) value : null;
  }

  /** The part after the last {@code separator}: a queue URL's name, an ARN's resource name. */
  private static String lastPart(String value, char separator) {
    if (value == null) {
      return null;
    }
    int at = value.lastIndexOf(separator);
    return at >= 0 && at < value.length() - 1 ? value.substring(at + 1) : value;
  }
}

package dev.radiograph.otlp.wire;

/**
 * The attribute keys of the X-Ray ⇄ OTLP mapping (docs/otlp-mapping.md), named once for the SDK's
 * exporter (X-Ray documents to spans) and the daemon's ingest (spans to X-Ray documents), so the
 * two stay each other's inverse.
 */
public final class OtlpAttributes {
  // Resource
  public static final String SERVICE_NAME = "service.name";
  public static final String TELEMETRY_SDK_NAME = "telemetry.sdk.name";
  public static final String TELEMETRY_SDK_VERSION = "telemetry.sdk.version";
  public static final String TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language";
  public static final String SERVICE_VERSION = "service.version";
  public static final String CLOUD_PROVIDER = "cloud.provider";
  public static final String CLOUD_PLATFORM = "cloud.platform";

  // HTTP: the stable names are written; both the stable and the old ones are read.
  public static final String HTTP_REQUEST_METHOD = "http.request.method";
  public static final String HTTP_METHOD_OLD = "http.method";
  public static final String URL_FULL = "url.full";
  public static final String HTTP_URL_OLD = "http.url";
  public static final String USER_AGENT = "user_agent.original";
  public static final String USER_AGENT_OLD = "http.user_agent";
  public static final String CLIENT_ADDRESS = "client.address";
  public static final String CLIENT_IP_OLD = "http.client_ip";
  public static final String HTTP_STATUS = "http.response.status_code";
  public static final String HTTP_STATUS_OLD = "http.status_code";
  public static final String HTTP_RESPONSE_SIZE = "http.response.body.size";
  public static final String HTTP_RESPONSE_SIZE_OLD = "http.response_content_length";
  public static final String URL_SCHEME = "url.scheme";
  public static final String URL_PATH = "url.path";
  public static final String URL_QUERY = "url.query";
  public static final String HTTP_SCHEME_OLD = "http.scheme";
  public static final String HTTP_TARGET_OLD = "http.target";
  public static final String HTTP_HOST_OLD = "http.host";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String NET_PEER_NAME_OLD = "net.peer.name";
  public static final String NET_PEER_PORT_OLD = "net.peer.port";
  public static final String NET_HOST_NAME_OLD = "net.host.name";
  public static final String PEER_SERVICE = "peer.service";
  public static final String ENDUSER_ID = "enduser.id";

  // Database
  public static final String DB_SYSTEM = "db.system";
  public static final String DB_SYSTEM_NAME = "db.system.name";
  public static final String DB_STATEMENT_OLD = "db.statement";
  public static final String DB_QUERY_TEXT = "db.query.text";
  public static final String DB_NAME_OLD = "db.name";
  public static final String DB_NAMESPACE = "db.namespace";
  public static final String DB_USER = "db.user";
  public static final String DB_CONNECTION_STRING = "db.connection_string";

  // RPC, AWS and messaging
  public static final String RPC_SYSTEM = "rpc.system";
  public static final String RPC_SYSTEM_AWS = "aws-api";
  public static final String RPC_SERVICE = "rpc.service";
  public static final String RPC_METHOD = "rpc.method";
  public static final String AWS_PREFIX = "aws.";
  public static final String AWS_SERVICE = "aws.service";
  public static final String AWS_OPERATION = "aws.operation";
  public static final String AWS_REGION = "aws.region";
  public static final String AWS_REQUEST_ID = "aws.request_id";
  public static final String AWS_REQUEST_ID_2 = "aws.requestId";
  public static final String AWS_QUEUE_URL_2 = "aws.sqs.queue_url";
  public static final String AWS_TABLE_NAMES = "aws.dynamodb.table_names";
  public static final String MESSAGING_SYSTEM = "messaging.system";
  public static final String MESSAGING_DESTINATION = "messaging.destination.name";
  public static final String MESSAGING_DESTINATION_OLD = "messaging.destination";
  public static final String MESSAGING_URL_OLD = "messaging.url";

  // X-Ray's own (the OpenTelemetry Collector's awsxray translator names)
  public static final String XRAY_ANNOTATIONS = "aws.xray.annotations";
  public static final String XRAY_METADATA_PREFIX = "aws.xray.metadata.";
  public static final String XRAY_IN_PROGRESS = "aws.xray.inprogress";
  public static final String XRAY_X_FORWARDED_FOR = "aws.xray.x_forwarded_for";
  public static final String XRAY_TRACED = "aws.xray.traced";
  public static final String XRAY_SQL_PREFIX = "aws.xray.sql.";
  public static final String XRAY_ERROR = "aws.xray.error";
  public static final String XRAY_FAULT = "aws.xray.fault";
  public static final String XRAY_THROTTLE = "aws.xray.throttle";

  // Exception events
  public static final String EXCEPTION_EVENT = "exception";
  public static final String EXCEPTION_TYPE = "exception.type";
  public static final String EXCEPTION_MESSAGE = "exception.message";
  public static final String EXCEPTION_STACKTRACE = "exception.stacktrace";
  public static final String XRAY_EXCEPTION_ID = "aws.xray.exception.id";
  public static final String XRAY_EXCEPTION_REMOTE = "aws.xray.exception.remote";
  public static final String XRAY_EXCEPTION_CAUSE = "aws.xray.exception.cause";
  public static final String XRAY_EXCEPTION_TRUNCATED = "aws.xray.exception.truncated";
  public static final String XRAY_EXCEPTION_SKIPPED = "aws.xray.exception.skipped";

  /** Span kinds as OTLP numbers them. */
  public static final int KIND_INTERNAL = 1;
  public static final int KIND_SERVER = 2;
  public static final int KIND_CLIENT = 3;
  public static final int KIND_PRODUCER = 4;
  public static final int KIND_CONSUMER = 5;

  /** Status codes as OTLP numbers them. */
  public static final int STATUS_ERROR = 2;

  /** X-Ray's {@code origin} values and the {@code cloud.platform} each stands for. */
  private static final String[][] ORIGINS = {
    {"AWS::EC2::Instance", "aws_ec2"},
    {"AWS::ECS::Container", "aws_ecs"},
    {"AWS::EKS::Container", "aws_eks"},
    {"AWS::ElasticBeanstalk::Environment", "aws_elastic_beanstalk"},
    {"AWS::Lambda::Function", "aws_lambda"},
  };

  private OtlpAttributes() {}

  /** The {@code cloud.platform} of an X-Ray origin, or null. */
  public static String platformOf(String origin) {
    for (String[] pair : ORIGINS) {
      if (pair[0].equals(origin)) {
        return pair[1];
      }
    }
    return null;
  }

  /** The X-Ray origin of a {@code cloud.platform}, or null. */
  public static String originOf(String platform) {
    for (String[] pair : ORIGINS) {
      if (pair[1].equals(platform)) {
        return pair[0];
      }
    }
    return null;
  }

  /**
   * One Java stack frame line of {@code exception.stacktrace}: {@code \tat label(path:line)}, the
   * form the daemon parses back into X-Ray's {@code stack}.
   */
  public static String stackLine(String label, String path, long line) {
    StringBuilder b = new StringBuilder("\tat ").append(label == null ? "" : label).append('(');
    b.append(path == null || path.isEmpty() ? "Unknown Source" : path);
    if (line > 0) {
      b.append(':').append(line);
    }
    return b.append(')').toString();
  }
}

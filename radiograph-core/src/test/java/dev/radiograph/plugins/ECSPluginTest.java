package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ECS plugin against a loopback server that plays the task metadata endpoint v4. */
class ECSPluginTest {
  static final String V4_PATH = "/v4/9b3e1f2c4d5a-1782394650";
  static final String HOSTNAME = "ip-10-0-2-100.us-west-2.compute.internal";
  static final String DOCKER_ID = "ea32192c8553fbff06c9340478a2ff089b2bb5646fb718b4ee206641c9086d66";

  /** A container on an EC2 container instance, logging with awslogs. */
  static final String CONTAINER = "{\n"
      + "  \"DockerId\": \"" + DOCKER_ID + "\",\n"
      + "  \"Name\": \"shop\",\n"
      + "  \"DockerName\": \"ecs-shop-26-shop-e4a0c2b8d6f1a9b7c301\",\n"
      + "  \"Image\": \"111122223333.dkr.ecr.us-west-2.amazonaws.com/shop:1.4.2\",\n"
      + "  \"ImageID\": \"sha256:4b1a2e0f8d6c9b7a5e3d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a09\",\n"
      + "  \"Labels\": {\n"
      + "    \"com.amazonaws.ecs.cluster\": \"default\",\n"
      + "    \"com.amazonaws.ecs.container-name\": \"shop\",\n"
      + "    \"com.amazonaws.ecs.task-arn\": \"arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c\",\n"
      + "    \"com.amazonaws.ecs.task-definition-family\": \"shop\",\n"
      + "    \"com.amazonaws.ecs.task-definition-version\": \"26\"\n"
      + "  },\n"
      + "  \"DesiredStatus\": \"RUNNING\",\n"
      + "  \"KnownStatus\": \"RUNNING\",\n"
      + "  \"Limits\": {\"CPU\": 256, \"Memory\": 512},\n"
      + "  \"CreatedAt\": \"2024-05-02T10:41:07.620912337Z\",\n"
      + "  \"StartedAt\": \"2024-05-02T10:41:08.062559351Z\",\n"
      + "  \"Type\": \"NORMAL\",\n"
      + "  \"LogDriver\": \"awslogs\",\n"
      + "  \"LogOptions\": {\n"
      + "    \"awslogs-create-group\": \"true\",\n"
      + "    \"awslogs-group\": \"/ecs/shop\",\n"
      + "    \"awslogs-region\": \"us-west-2\",\n"
      + "    \"awslogs-stream\": \"ecs/shop/158d1c8083dd49d6b527399fd6414f5c\"\n"
      + "  },\n"
      + "  \"ContainerARN\": \"arn:aws:ecs:us-west-2:111122223333:container/0206b271-b33f-47ab-86c6-a0ba208a70a9\",\n"
      + "  \"Networks\": [{\"NetworkMode\": \"awsvpc\", \"IPv4Addresses\": [\"10.0.2.100\"]}]\n"
      + "}";

  static final String TASK = "{\n"
      + "  \"Cluster\": \"default\",\n"
      + "  \"TaskARN\": \"arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c\",\n"
      + "  \"Family\": \"shop\",\n"
      + "  \"Revision\": \"26\",\n"
      + "  \"ServiceName\": \"shop-service\",\n"
      + "  \"DesiredStatus\": \"RUNNING\",\n"
      + "  \"KnownStatus\": \"RUNNING\",\n"
      + "  \"Limits\": {\"CPU\": 0.25, \"Memory\": 512},\n"
      + "  \"PullStartedAt\": \"2024-05-02T10:41:05.351394127Z\",\n"
      + "  \"PullStoppedAt\": \"2024-05-02T10:41:06.713225313Z\",\n"
      + "  \"AvailabilityZone\": \"us-west-2a\",\n"
      + "  \"LaunchType\": \"EC2\",\n"
      + "  \"Containers\": [" + CONTAINER + "],\n"
      + "  \"VPCID\": \"vpc-0a1b2c3d4e5f60718\"\n"
      + "}";

  private MetadataServer tmde;
  private CapturedLogs logs;

  @BeforeEach
  void start() throws Exception {
    tmde = MetadataServer.start();
    logs = new CapturedLogs();
  }

  @AfterEach
  void stop() {
    tmde.close();
    logs.close();
  }

  private Map<String, String> env() {
    return Map.of("ECS_CONTAINER_METADATA_URI_V4", tmde.url() + V4_PATH, "HOSTNAME", HOSTNAME);
  }

  static void playTaskMetadata(MetadataServer server, String container, String task) {
    server.on("GET", V4_PATH, 200, container);
    server.on("GET", V4_PATH + "/task", 200, task);
  }

  @Test
  void containerAndTaskFromTheV4Endpoint() {
    playTaskMetadata(tmde, CONTAINER, TASK);

    PluginData data = new ECSPlugin(env(), Duration.ofSeconds(1)).collect();

    assertThat(data.origin()).isEqualTo("AWS::ECS::Container");
    Map<String, Object> ecs = new LinkedHashMap<>();
    ecs.put("container", HOSTNAME);
    ecs.put("container_id", DOCKER_ID);
    ecs.put("container_arn", "arn:aws:ecs:us-west-2:111122223333:container/0206b271-b33f-47ab-86c6-a0ba208a70a9");
    ecs.put("task_arn", "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c");
    ecs.put("task_family", "shop");
    ecs.put("cluster_arn", "arn:aws:ecs:us-west-2:111122223333:cluster/default");
    ecs.put("launch_type", "ec2");
    ecs.put("availability_zone", "us-west-2a");
    assertThat(data.aws()).containsOnlyKeys("ecs", "cloudwatch_logs");
    assertThat(data.aws().get("ecs")).isEqualTo(ecs);
    assertThat(data.aws().get("cloudwatch_logs")).isEqualTo(List.of(Map.of(
        "log_group", "/ecs/shop",
        "arn", "arn:aws:logs:us-west-2:111122223333:log-group:/ecs/shop")));
    assertThat(tmde.requests()).extracting(r -> r.method + " " + r.path)
        .containsExactly("GET " + V4_PATH, "GET " + V4_PATH + "/task");
    assertThat(logs.all()).isEmpty();
  }

  @Test
  void fargateInAnotherPartition() {
    String container = "{\"DockerId\": \"cd189a933e5849daa93386466019ab50-2495160603\", \"Name\": \"api\","
        + " \"ContainerARN\": \"arn:aws-cn:ecs:cn-north-1:111122223333:container/05966557-f16c-49cb-9352-24b3a0dcd0e1\","
        + " \"LogDriver\": \"awslogs\", \"LogOptions\": {\"awslogs-group\": \"/ecs/api\", \"awslogs-stream\": \"ecs/api/cd18\"}}";
    String task = "{\"Cluster\": \"arn:aws-cn:ecs:cn-north-1:111122223333:cluster/prod\","
        + " \"TaskARN\": \"arn:aws-cn:ecs:cn-north-1:111122223333:task/prod/cd189a933e5849daa93386466019ab50\","
        + " \"Family\": \"api\", \"Revision\": \"3\", \"LaunchType\": \"FARGATE\", \"AvailabilityZone\": \"cn-north-1a\","
        + " \"Containers\": []}";
    playTaskMetadata(tmde, container, task);

    PluginData data = new ECSPlugin(env(), Duration.ofSeconds(1)).collect();

    @SuppressWarnings("unchecked")
    Map<String, Object> ecs = (Map<String, Object>) data.aws().get("ecs");
    assertThat(ecs).containsEntry("container_id", "cd189a933e5849daa93386466019ab50-2495160603")
        .containsEntry("cluster_arn", "arn:aws-cn:ecs:cn-north-1:111122223333:cluster/prod")
        .containsEntry("launch_type", "fargate")
        .containsEntry("task_family", "api");
    // No awslogs-region: the region of the container's ARN.
    assertThat(data.aws().get("cloudwatch_logs")).isEqualTo(List.of(Map.of(
        "log_group", "/ecs/api", "arn", "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/ecs/api")));
  }

  @Test
  void anotherLogDriverHasNoLogReference() {
    playTaskMetadata(tmde, CONTAINER.replace("\"LogDriver\": \"awslogs\"", "\"LogDriver\": \"json-file\""), TASK);

    PluginData data = new ECSPlugin(env(), Duration.ofSeconds(1)).collect();

    assertThat(data.aws()).containsOnlyKeys("ecs");
  }

  @Test
  void theVersion3VariableServesWhenVersion4IsNotSet() {
    tmde.on("GET", "/v3/abc", 200, CONTAINER);
    tmde.on("GET", "/v3/abc/task", 200, TASK);

    PluginData data = new ECSPlugin(Map.of("ECS_CONTAINER_METADATA_URI", tmde.url() + "/v3/abc", "HOSTNAME", HOSTNAME),
        Duration.ofSeconds(1)).collect();

    assertThat(data.origin()).isEqualTo("AWS::ECS::Container");
  }

  @Test
  void withoutTheVariableNotOnEcsAndNoCall() {
    PluginData data = new ECSPlugin(Map.of("HOSTNAME", HOSTNAME), Duration.ofSeconds(1)).collect();

    assertThat(data).isEqualTo(PluginData.empty());
    assertThat(tmde.requests()).isEmpty();
    assertThat(logs.at(Level.INFO)).singleElement().asString().contains("ECS_CONTAINER_METADATA_URI_V4 is not set");
  }

  @Test
  void aFailingTaskCallKeepsTheContainerFieldsAndLogsOnce() {
    tmde.on("GET", V4_PATH, 200, CONTAINER);
    tmde.on("GET", V4_PATH + "/task", 500, "boom");

    PluginData data = new ECSPlugin(env(), Duration.ofSeconds(1)).collect();

    assertThat(data.origin()).isEqualTo("AWS::ECS::Container");
    @SuppressWarnings("unchecked")
    Map<String, Object> ecs = (Map<String, Object>) data.aws().get("ecs");
    assertThat(ecs).containsOnlyKeys("container", "container_id", "container_arn");
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("HTTP 500");
  }

  @Test
  void malformedContainerMetadataAddsNothing() {
    playTaskMetadata(tmde, "{\"DockerId\": \"" + DOCKER_ID + "\", \"Name\": }", TASK);

    PluginData data = new ECSPlugin(env(), Duration.ofSeconds(1)).collect();

    assertThat(data).isEqualTo(PluginData.empty());
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("malformed JSON");
  }

  @Test
  void containerMetadataWithoutAnIdAddsNothing() {
    playTaskMetadata(tmde, "{\"Name\": \"shop\"}", TASK);

    assertThat(new ECSPlugin(env(), Duration.ofSeconds(1)).collect().isEmpty()).isTrue();
  }

  @Test
  void anEndpointThatIsNotAUrlAddsNothing() {
    PluginData data = new ECSPlugin(Map.of("ECS_CONTAINER_METADATA_URI_V4", "169.254.170.2/v4/x"),
        Duration.ofSeconds(1)).collect();

    assertThat(data.isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).hasSize(1);
  }

  @Test
  void clusterArnFromTheTaskArnWhenTheClusterIsAShortName() {
    assertThat(ECSPlugin.clusterArn("default", "arn:aws:ecs:us-east-1:123456789012:task/default/abc"))
        .isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/default");
    assertThat(ECSPlugin.clusterArn("arn:aws:ecs:us-east-1:123456789012:cluster/x", null))
        .isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/x");
    assertThat(ECSPlugin.clusterArn("default", null)).isNull();
    assertThat(ECSPlugin.clusterArn(null, "arn:aws:ecs:us-east-1:123456789012:task/default/abc")).isNull();
  }
}

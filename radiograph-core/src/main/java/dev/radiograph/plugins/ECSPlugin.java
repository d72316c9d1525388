package dev.radiograph.plugins;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Amazon ECS: the task metadata endpoint version 4, whose URL ECS puts in {@code
 * ECS_CONTAINER_METADATA_URI_V4} ({@code ECS_CONTAINER_METADATA_URI}, version 3, when only that is
 * set). {@code GET ${uri}} describes the container, {@code GET ${uri}/task} the task. Recorded as
 *
 * <pre>{@code
 * "aws": {
 *   "ecs": {"container": "<host name>", "container_id": "<DockerId>", "container_arn": "...",
 *           "task_arn": "...", "task_family": "...", "cluster_arn": "...",
 *           "launch_type": "ec2" | "fargate" | "external", "availability_zone": "..."},
 *   "cloudwatch_logs": [{"log_group": "<awslogs-group>", "arn": "arn:aws:logs:<region>:<account>:log-group:<group>"}]
 * }
 * }</pre>
 *
 * with origin {@code AWS::ECS::Container}. {@code cloudwatch_logs} only for the {@code awslogs}
 * log driver; X-Ray's log reference has a group and its ARN, so the container's log stream is not
 * recorded. The launch type is lowercased, as the OpenTelemetry X-Ray exporter writes it.
 *
 * <p>No endpoint variable: not on ECS, nothing added. The container call failing: nothing added.
 * The task call failing after the container call worked: the container's fields only, and one log
 * line.
 */
public final class ECSPlugin extends MetadataPlugin {
  /** The origin this plugin sets. */
  public static final String ORIGIN = "AWS::ECS::Container";

  static final String V4_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";
  static final String V3_VARIABLE = "ECS_CONTAINER_METADATA_URI";

  private final Map<String, String> environment;
  private final Duration timeout;

  /** The process's environment, {@link Plugins#DEFAULT_TIMEOUT} per call. */
  public ECSPlugin() {
    this(System.getenv(), Plugins.DEFAULT_TIMEOUT);
  }

  /**
   * Reads the endpoint's URL (and {@code HOSTNAME}) from {@code environment} instead of the
   * process's environment, with {@code timeout} per call.
   *
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public ECSPlugin(Map<String, String> environment, Duration timeout) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    this.timeout = checkTimeout(timeout);
  }

  @Override
  public String name() {
    return "ECSPlugin";
  }

  @Override
  PluginData fetch() throws Unavailable {
    String variable = V4_VARIABLE;
    String base = environment.get(V4_VARIABLE);
    if (base == null || base.isBlank()) {
      variable = V3_VARIABLE;
      base = environment.get(V3_VARIABLE);
    }
    if (base == null || base.isBlank()) {
      throw Unavailable.notHere(V4_VARIABLE + " is not set: not running in an ECS task");
    }
    base = base.trim();
    try {
      checkBaseUrl(base, variable);
    } catch (IllegalArgumentException e) {
      throw Unavailable.failed(e.getMessage());
    }
    MetadataHttp http = new MetadataHttp(timeout, null);
    Map<String, Object> container = get(http, base, "", "container metadata");
    String dockerId = text(container, "DockerId");
    String containerArn = text(container, "ContainerARN");
    if (dockerId == null && containerArn == null) {
      throw Unavailable.failed("the container metadata from " + base + " has neither DockerId nor ContainerARN");
    }

    Map<String, Object> ecs = new LinkedHashMap<>();
    putIfPresent(ecs, "container", hostname(environment));
    putIfPresent(ecs, "container_id", dockerId);
    putIfPresent(ecs, "container_arn", containerArn);
    String taskArn = null;
    try {
      Map<String, Object> task = get(http, base, "/task", "task metadata");
      taskArn = text(task, "TaskARN");
      putIfPresent(ecs, "task_arn", taskArn);
      putIfPresent(ecs, "task_family", text(task, "Family"));
      putIfPresent(ecs, "cluster_arn", clusterArn(text(task, "Cluster"), taskArn));
      String launchType = text(task, "LaunchType");
      putIfPresent(ecs, "launch_type", launchType == null ? null : launchType.toLowerCase(Locale.ROOT));
      putIfPresent(ecs, "availability_zone", text(task, "AvailabilityZone"));
    } catch (Unavailable e) {
      warn("no task fields: " + e.getMessage());
    }

    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("ecs", ecs);
    Map<String, Object> logReference = logReference(container, containerArn != null ? containerArn : taskArn);
    if (logReference != null) {
      aws.put("cloudwatch_logs", List.of(logReference));
    }
    return PluginData.of(ORIGIN, aws);
  }

  private static Map<String, Object> get(MetadataHttp http, String base, String path, String what)
      throws Unavailable {
    MetadataHttp.Response response;
    try {
      response = http.send("GET", resolve(base, path));
    } catch (IOException e) {
      throw Unavailable.failed("cannot get the " + what + " from " + base + path + ": " + describe(e));
    }
    if (response.status != 200) {
      throw Unavailable.failed("HTTP " + response.status + " for the " + what + " from " + base + path);
    }
    return jsonObject(response.body, "the " + what + " at " + base + path);
  }

  /**
   * The cluster's ARN: the task metadata's {@code Cluster} when it is one (Fargate), else built
   * from the task's ARN and the cluster's short name (EC2).
   */
  static String clusterArn(String cluster, String taskArn) {
    if (cluster == null) {
      return null;
    }
    if (cluster.startsWith("arn:")) {
      return cluster;
    }
    int task = taskArn == null ? -1 : taskArn.indexOf(":task/");
    return task < 0 ? null : taskArn.substring(0, task) + ":cluster/" + cluster;
  }

  /**
   * X-Ray's reference to the container's log group, {@code {"log_group", "arn"}}, when the
   * container logs with the {@code awslogs} driver; the ARN's partition and account come from
   * {@code resourceArn}, its region from {@code awslogs-region} (else from that ARN).
   */
  static Map<String, Object> logReference(Map<String, Object> container, String resourceArn) {
    if (!"awslogs".equals(text(container, "LogDriver"))) {
      return null;
    }
    Map<String, Object> options = member(container, "LogOptions");
    String group = text(options, "awslogs-group");
    if (group == null) {
      return null;
    }
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put("log_group", group);
    String[] arn = resourceArn == null ? new String[0] : resourceArn.split(":", 6);
    if (arn.length == 6 && arn[0].equals("arn") && !arn[1].isEmpty() && !arn[4].isEmpty()) {
      String region = text(options, "awslogs-region");
      if (region == null) {
        region = arn[3];
      }
      if (!region.isEmpty()) {
        reference.put("arn", "arn:" + arn[1] + ":logs:" + region + ":" + arn[4] + ":log-group:" + group);
      }
    }
    return reference;
  }

  @Override
  public String toString() {
    return "ECSPlugin{timeout " + timeout.toMillis() + " ms}";
  }
}

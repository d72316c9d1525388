package dev.radiograph.plugins;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * AWS Elastic Beanstalk: the file the platform writes for X-Ray, {@code
 * /var/elasticbeanstalk/xray/environment.conf}, a JSON object such as {@code {"deployment_id": 23,
 * "version_label": "app-v7", "environment_name": "shop-prod"}}. Recorded as {@code
 * aws.elastic_beanstalk = {"environment_name", "version_label", "deployment_id"}} (the deployment
 * id a number, as X-Ray's segment schema has it) with origin {@code
 * AWS::ElasticBeanstalk::Environment}. No file: not on Elastic Beanstalk, nothing added; a file
 * that is not such an object: nothing added, one log line.
 */
public final class ElasticBeanstalkPlugin extends MetadataPlugin {
  /** The origin this plugin sets. */
  public static final String ORIGIN = "AWS::ElasticBeanstalk::Environment";
  /** Where Elastic Beanstalk writes the environment's description for X-Ray. */
  public static final Path DEFAULT_CONFIG_FILE = Path.of("/var/elasticbeanstalk/xray/environment.conf");

  private final Path configFile;

  /** Reads {@code /var/elasticbeanstalk/xray/environment.conf}. */
  public ElasticBeanstalkPlugin() {
    this(DEFAULT_CONFIG_FILE);
  }

  /** Reads {@code configFile} instead. */
  public ElasticBeanstalkPlugin(Path configFile) {
    this.configFile = Objects.requireNonNull(configFile, "configFile");
  }

  @Override
  public String name() {
    return "ElasticBeanstalkPlugin";
  }

  @Override
  PluginData fetch() throws Unavailable {
    byte[] bytes = readSmallFile(configFile);
    if (bytes == null) {
      throw Unavailable.notHere("no " + configFile + ": not running on Elastic Beanstalk");
    }
    Map<String, Object> conf = jsonObject(bytes, configFile.toString());
    Map<String, Object> beanstalk = new LinkedHashMap<>();
    putIfPresent(beanstalk, "environment_name", text(conf, "environment_name"));
    putIfPresent(beanstalk, "version_label", text(conf, "version_label"));
    putIfPresent(beanstalk, "deployment_id", deploymentId(conf.get("deployment_id")));
    if (beanstalk.isEmpty()) {
      throw Unavailable.failed(configFile + " has none of environment_name, version_label, deployment_id");
    }
    return PluginData.of(ORIGIN, Map.of("elastic_beanstalk", beanstalk));
  }

  /** The deployment id as a number: as written, or parsed from a string of digits. */
  private static Object deploymentId(Object value) {
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof String && ((String) value).trim().matches("[0-9]{1,18}")) {
      return Long.parseLong(((String) value).trim());
    }
    return null;
  }

  @Override
  public String toString() {
    return "ElasticBeanstalkPlugin{" + configFile + "}";
  }
}

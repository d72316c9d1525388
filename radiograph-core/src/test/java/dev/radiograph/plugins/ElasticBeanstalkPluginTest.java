package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticBeanstalkPluginTest {
  @TempDir Path dir;
  private CapturedLogs logs;

  @BeforeEach
  void capture() {
    logs = new CapturedLogs();
  }

  @AfterEach
  void release() {
    logs.close();
  }

  @Test
  void environmentFromTheConfigFile() throws IOException {
    Path conf = Files.writeString(dir.resolve("environment.conf"),
        "{\"deployment_id\":23,\"version_label\":\"app-v7-240502_1041\",\"environment_name\":\"shop-prod\"}");

    PluginData data = new ElasticBeanstalkPlugin(conf).collect();

    assertThat(data.origin()).isEqualTo("AWS::ElasticBeanstalk::Environment");
    assertThat(data.aws()).isEqualTo(Map.of("elastic_beanstalk", Map.of(
        "environment_name", "shop-prod", "version_label", "app-v7-240502_1041", "deployment_id", 23L)));
    assertThat(logs.all()).isEmpty();
  }

  @Test
  void aDeploymentIdWrittenAsAStringBecomesANumber() throws IOException {
    Path conf = Files.writeString(dir.resolve("environment.conf"),
        "{\"deployment_id\":\"5\",\"version_label\":\"v1\",\"environment_name\":\"e\"}");

    @SuppressWarnings("unchecked")
    Map<String, Object> eb = (Map<String, Object>) new ElasticBeanstalkPlugin(conf).collect().aws().get("elastic_beanstalk");

    assertThat(eb).containsEntry("deployment_id", 5L);
  }

  @Test
  void noFileNotOnBeanstalk() {
    PluginData data = new ElasticBeanstalkPlugin(dir.resolve("environment.conf")).collect();

    assertThat(data).isEqualTo(PluginData.empty());
    assertThat(logs.at(Level.INFO)).singleElement().asString().contains("not running on Elastic Beanstalk");
  }

  @Test
  void malformedFileAddsNothing() throws IOException {
    Path conf = Files.writeString(dir.resolve("environment.conf"), "{\"deployment_id\":23,\"version_label\":");

    assertThat(new ElasticBeanstalkPlugin(conf).collect()).isEqualTo(PluginData.empty());
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("malformed JSON").contains(conf.toString());
  }

  @Test
  void aFileWithoutTheKeysAddsNothing() throws IOException {
    Path conf = Files.writeString(dir.resolve("environment.conf"), "{\"something\":\"else\"}");

    assertThat(new ElasticBeanstalkPlugin(conf).collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).hasSize(1);
  }
}

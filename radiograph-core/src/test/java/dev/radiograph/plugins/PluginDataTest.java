package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginDataTest {
  @Test
  void emptyIsEmpty() {
    assertThat(PluginData.empty().isEmpty()).isTrue();
    assertThat(PluginData.empty().origin()).isNull();
    assertThat(PluginData.empty().aws()).isEmpty();
    assertThat(PluginData.of(null, Map.of())).isSameAs(PluginData.empty());
  }

  @Test
  void aDeepCopyThatCannotChange() {
    Map<String, Object> ec2 = new LinkedHashMap<>();
    ec2.put("instance_id", "i-1");
    List<Object> logs = new ArrayList<>(List.of(Map.of("log_group", "g")));
    Map<String, Object> aws = new HashMap<>();
    aws.put("ec2", ec2);
    aws.put("cloudwatch_logs", logs);

    PluginData data = PluginData.of("AWS::EC2::Instance", aws);
    ec2.put("instance_id", "changed");
    logs.add("more");
    aws.clear();

    assertThat(data.aws()).isEqualTo(Map.of(
        "ec2", Map.of("instance_id", "i-1"), "cloudwatch_logs", List.of(Map.of("log_group", "g"))));
    assertThatThrownBy(() -> data.aws().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> copied = (Map<String, Object>) data.aws().get("ec2");
    assertThatThrownBy(() -> copied.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullValuesAreLeftOutAndCollectionsBecomeLists() {
    Map<String, Object> ecs = new HashMap<>();
    ecs.put("container_arn", null);
    ecs.put("container_id", "abc");
    PluginData data = PluginData.of(null, Map.of("ecs", ecs, "set", Set.of(1L)));

    assertThat(data.aws()).isEqualTo(Map.of("ecs", Map.of("container_id", "abc"), "set", List.of(1L)));
  }

  @Test
  void onlyJsonValues() {
    assertThatThrownBy(() -> PluginData.of(null, Map.of("ec2", Map.of("when", new Object()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws.ec2.when");
    assertThatThrownBy(() -> PluginData.of(null, Map.of("n", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PluginData.of(null, Map.of("m", Map.of(1, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a string");
    assertThatThrownBy(() -> PluginData.of(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityByValue() {
    assertThat(PluginData.of("o", Map.of("a", 1L))).isEqualTo(PluginData.of("o", Map.of("a", 1L)))
        .hasSameHashCodeAs(PluginData.of("o", Map.of("a", 1L)))
        .isNotEqualTo(PluginData.of("p", Map.of("a", 1L)));
    assertThat(PluginData.of("o", Map.of()).toString()).contains("origin=o");
  }
}

package dev.radiograph.plugins;

import static dev.radiograph.plugins.EC2PluginTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins by name, and all four at once: merged blocks and the origin by precedence. */
class PluginsTest {
  @TempDir Path dir;
  private MetadataServer server;
  private CapturedLogs logs;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = MetadataServer.start();
    logs = new CapturedLogs();
    // One loopback server plays IMDS, the task metadata endpoint and the Kubernetes API.
    EC2PluginTest.playImdsV2(server, EC2PluginTest.DOCUMENT);
    ECSPluginTest.playTaskMetadata(server, ECSPluginTest.CONTAINER, ECSPluginTest.TASK);
    EKSPluginTest.playKubernetes(server, EKSPluginTest.CLUSTER_INFO);
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
    logs.close();
  }

  private Plugin ec2() {
    return new EC2Plugin(server.url(), Duration.ofSeconds(1));
  }

  private Plugin ecs() {
    return new ECSPlugin(Map.of("ECS_CONTAINER_METADATA_URI_V4", server.url() + ECSPluginTest.V4_PATH,
        "HOSTNAME", ECSPluginTest.HOSTNAME), Duration.ofSeconds(1));
  }

  private Plugin eks() throws IOException {
    return EKSPlugin.builder()
        .apiUrl(server.url())
        .tokenFile(Files.writeString(dir.resolve("token"), EKSPluginTest.TOKEN))
        .caFile(dir.resolve("absent-ca.crt"))
        .cgroupFile(Files.writeString(dir.resolve("cgroup"), EKSPluginTest.CGROUP_V1))
        .environment(Map.of("HOSTNAME", EKSPluginTest.POD))
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  private Plugin beanstalk() throws IOException {
    return new ElasticBeanstalkPlugin(Files.writeString(dir.resolve("environment.conf"),
        "{\"deployment_id\":4,\"version_label\":\"v4\",\"environment_name\":\"shop-prod\"}"));
  }

  @Test
  void allFourMergedAndElasticBeanstalkIsTheOrigin() throws IOException {
    List<Plugin> plugins = new ArrayList<>(List.of(ec2(), ecs(), eks(), beanstalk()));

    PluginData data = Plugins.collectAll(plugins, Duration.ofSeconds(5));

    assertThat(data.origin()).isEqualTo("AWS::ElasticBeanstalk::Environment");
    assertThat(data.aws()).containsOnlyKeys("ec2", "ecs", "eks", "elastic_beanstalk", "cloudwatch_logs");
    assertThat(data.aws().get("ec2")).isEqualTo(EC2PluginTest.EC2_BLOCK);
    assertThat(data.aws().get("elastic_beanstalk"))
        .isEqualTo(Map.of("environment_name", "shop-prod", "version_label", "v4", "deployment_id", 4L));
    // Both log references, the more specific environment's first.
    assertThat(data.aws().get("cloudwatch_logs")).isEqualTo(List.of(
        Map.of("log_group", "/aws/containerinsights/prod-eks/application"),
        Map.of("log_group", "/ecs/shop", "arn", "arn:aws:logs:us-west-2:111122223333:log-group:/ecs/shop")));
    assertThat(logs.all()).isEmpty();
  }

  @Test
  void theMostSpecificOriginWinsWhateverTheOrder() throws IOException {
    assertThat(origin(ec2(), ecs())).isEqualTo("AWS::ECS::Container");
    assertThat(origin(ecs(), ec2())).isEqualTo("AWS::ECS::Container");
    assertThat(origin(ec2(), eks())).isEqualTo("AWS::EKS::Container");
    assertThat(origin(eks(), ecs(), ec2())).isEqualTo("AWS::EKS::Container");
    assertThat(origin(beanstalk(), ec2())).isEqualTo("AWS::ElasticBeanstalk::Environment");
    assertThat(origin(ec2(), ecs(), beanstalk())).isEqualTo("AWS::ElasticBeanstalk::Environment");
    assertThat(origin(ec2())).isEqualTo("AWS::EC2::Instance");

    List<Plugin> shuffled = new ArrayList<>(List.of(ec2(), ecs(), eks(), beanstalk()));
    Collections.reverse(shuffled);
    assertThat(Plugins.collectAll(shuffled, Duration.ofSeconds(5)).origin())
        .isEqualTo("AWS::ElasticBeanstalk::Environment");
  }

  private static String origin(Plugin... plugins) {
    return Plugins.collectAll(List.of(plugins), Duration.ofSeconds(5)).origin();
  }

  @Test
  void aPluginOutsideItsEnvironmentDoesNotTakeTheOrigin() throws IOException {
    Plugin absentBeanstalk = new ElasticBeanstalkPlugin(dir.resolve("nothing.conf"));

    PluginData data = Plugins.collectAll(List.of(absentBeanstalk, ecs()), Duration.ofSeconds(5));

    assertThat(data.origin()).isEqualTo("AWS::ECS::Container");
    assertThat(data.aws()).containsOnlyKeys("ecs", "cloudwatch_logs");
  }

  @Test
  void aPluginThatThrowsOrReturnsNullAddsNothingAndTheRestStands() {
    Plugin throwing = plugin("Exploding", () -> {
      throw new IllegalStateException("kaboom");
    });
    Plugin returnsNull = plugin("Null", () -> null);

    PluginData data = Plugins.collectAll(List.of(throwing, ec2(), returnsNull), Duration.ofSeconds(5));

    assertThat(data.origin()).isEqualTo("AWS::EC2::Instance");
    assertThat(data.aws()).containsOnlyKeys("ec2");
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("Exploding failed").contains("kaboom");
  }

  @Test
  void aPluginThatOverrunsTheBudgetAddsNothingAndIsLoggedOnce() {
    Plugin stuck = plugin("Stuck", () -> {
      awaitRelease();
      return PluginData.of("AWS::Stuck", Map.of("stuck", Map.of("late", true)));
    });
    Duration budget = Duration.ofMillis(300);

    long start = System.nanoTime();
    PluginData data = Plugins.collectAll(List.of(stuck, ec2()), budget);

    assertThat(millisSince(start)).isLessThan(budget.toMillis() + 500);
    assertThat(data.origin()).isEqualTo("AWS::EC2::Instance");
    assertThat(data.aws()).containsOnlyKeys("ec2");
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("Stuck did not finish within 300 ms");
  }

  @Test
  void theAsyncFormReturnsAtOnceAndCompletesWhenThePluginsAreDone() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Plugin gated = plugin("Gated", () -> {
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return PluginData.of("AWS::Gated", Map.of("gated", Map.of("ok", true)));
    });

    long start = System.nanoTime();
    CompletableFuture<PluginData> future = Plugins.collectAllAsync(List.of(gated), Duration.ofSeconds(10));
    assertThat(millisSince(start)).isLessThan(200);
    assertThat(future).isNotDone();

    go.countDown();
    PluginData data = future.get(5, TimeUnit.SECONDS);
    assertThat(data.origin()).isEqualTo("AWS::Gated");
    assertThat(data.aws()).isEqualTo(Map.of("gated", Map.of("ok", true)));
  }

  @Test
  void theAsyncFormCompletesNormallyAtTheBudget() throws Exception {
    Plugin stuck = plugin("Stuck", () -> {
      awaitRelease();
      return PluginData.empty();
    });

    CompletableFuture<PluginData> future = Plugins.collectAllAsync(List.of(stuck), Duration.ofMillis(200));

    assertThat(future.get(2, TimeUnit.SECONDS)).isEqualTo(PluginData.empty());
    assertThat(future).isCompletedWithValue(PluginData.empty());
  }

  @Test
  void pluginThreadsAreDaemons() throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    Plugin probe = plugin("Probe", () -> {
      thread.complete(Thread.currentThread());
      return PluginData.empty();
    });

    Plugins.collectAll(List.of(probe), Duration.ofSeconds(5));

    assertThat(thread.get(1, TimeUnit.SECONDS).isDaemon()).isTrue();
    assertThat(thread.get().getName()).isEqualTo("radiograph-plugin-Probe");
  }

  @Test
  void noPluginsNothingToWaitFor() {
    assertThat(Plugins.collectAll(List.of(), Duration.ofSeconds(5))).isEqualTo(PluginData.empty());
    assertThat(Plugins.collectAllAsync(List.of(), Duration.ofSeconds(5))).isCompletedWithValue(PluginData.empty());
  }

  @Test
  void mergeJoinsListsAndMapsAndKeepsTheMoreSpecificValue() {
    PluginData ec2 = PluginData.of(EC2Plugin.ORIGIN, Map.of(
        "cloudwatch_logs", List.of(Map.of("log_group", "a"), Map.of("log_group", "shared")),
        "shared", Map.of("x", "from-ec2", "only_ec2", 1L),
        "scalar", "ec2"));
    PluginData eks = PluginData.of(EKSPlugin.ORIGIN, Map.of(
        "cloudwatch_logs", List.of(Map.of("log_group", "shared"), Map.of("log_group", "b")),
        "shared", Map.of("x", "from-eks"),
        "scalar", "eks"));

    PluginData merged = Plugins.merge(List.of(ec2, eks));

    assertThat(merged.origin()).isEqualTo(EKSPlugin.ORIGIN);
    assertThat(merged.aws().get("cloudwatch_logs")).isEqualTo(List.of(
        Map.of("log_group", "shared"), Map.of("log_group", "b"), Map.of("log_group", "a")));
    assertThat(merged.aws().get("shared")).isEqualTo(Map.of("x", "from-eks", "only_ec2", 1L));
    assertThat(merged.aws().get("scalar")).isEqualTo("eks");
  }

  @Test
  void precedenceOrder() {
    assertThat(Plugins.precedence("AWS::ElasticBeanstalk::Environment")).isGreaterThan(Plugins.precedence("AWS::EKS::Container"));
    assertThat(Plugins.precedence("AWS::EKS::Container")).isGreaterThan(Plugins.precedence("AWS::ECS::Container"));
    assertThat(Plugins.precedence("AWS::ECS::Container")).isGreaterThan(Plugins.precedence("AWS::EC2::Instance"));
    assertThat(Plugins.precedence("AWS::EC2::Instance")).isGreaterThan(Plugins.precedence("Custom::Thing"));
    assertThat(Plugins.precedence("Custom::Thing")).isGreaterThan(Plugins.precedence(null));
  }

  @Test
  void namesAndShortFormsInAnyCase() {
    assertThat(names(Plugins.fromNames(List.of("EC2Plugin", "ECSPlugin", "EKSPlugin", "ElasticBeanstalkPlugin"))))
        .containsExactly("EC2Plugin", "ECSPlugin", "EKSPlugin", "ElasticBeanstalkPlugin");
    assertThat(names(Plugins.fromNames(List.of("ec2", "ECS", "Eks", "elastic_beanstalk"))))
        .containsExactly("EC2Plugin", "ECSPlugin", "EKSPlugin", "ElasticBeanstalkPlugin");
    assertThat(names(Plugins.fromNames(List.of("beanstalk")))).containsExactly("ElasticBeanstalkPlugin");
    assertThat(names(Plugins.fromNames(List.of(" EB ")))).containsExactly("ElasticBeanstalkPlugin");
    assertThat(names(Plugins.fromNames(List.of("ec2plugin", "com.amazonaws.xray.plugins.ECSPlugin"))))
        .containsExactly("EC2Plugin", "ECSPlugin");
    assertThat(Plugins.fromNames(List.of("ecs", "EC2Plugin"))).hasExactlyElementsOfTypes(ECSPlugin.class, EC2Plugin.class);
  }

  @Test
  void eachPluginOnceAndBlanksSkipped() {
    assertThat(names(Plugins.fromNames(List.of("ec2", "EC2Plugin", " ", "", "ecs", "ec2"))))
        .containsExactly("EC2Plugin", "ECSPlugin");
    assertThat(Plugins.fromNames(List.of())).isEmpty();
  }

  @Test
  void anUnknownNameIsAClearError() {
    assertThatThrownBy(() -> Plugins.fromNames(List.of("ec2", "LambdaPlugin")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown plugin 'LambdaPlugin' (known: EC2Plugin, ECSPlugin, EKSPlugin, ElasticBeanstalkPlugin)");
    assertThatThrownBy(() -> Plugins.fromNames(List.of("ec22")))
        .hasMessage("unknown plugin 'ec22' (known: EC2Plugin, ECSPlugin, EKSPlugin, ElasticBeanstalkPlugin)");
  }

  private static List<String> names(List<Plugin> plugins) {
    List<String> names = new ArrayList<>();
    for (Plugin p : plugins) {
      names.add(p.name());
    }
    return names;
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Plugin plugin(String name, java.util.function.Supplier<PluginData> collect) {
    return new Plugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public PluginData collect() {
        return collect.get();
      }
    };
  }
}

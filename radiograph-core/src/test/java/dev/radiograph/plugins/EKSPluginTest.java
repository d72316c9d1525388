package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EKS plugin with a service account token file, a cgroup file and a fake Kubernetes API. */
class EKSPluginTest {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjFhMmIzYyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJl";
  static final String POD = "shop-7d9c6b5f4-x2x9z";
  static final String CONTAINER_ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String CGROUP_V1 = ""
      + "12:pids:/kubepods/besteffort/pod0f3c9e2a-6b1d-4c8e-9a7f-2d5e8b1c4a90/" + CONTAINER_ID + "\n"
      + "11:memory:/kubepods/besteffort/pod0f3c9e2a-6b1d-4c8e-9a7f-2d5e8b1c4a90/" + CONTAINER_ID + "\n"
      + "10:cpu,cpuacct:/kubepods/besteffort/pod0f3c9e2a-6b1d-4c8e-9a7f-2d5e8b1c4a90/" + CONTAINER_ID + "\n"
      + "1:name=systemd:/kubepods/besteffort/pod0f3c9e2a-6b1d-4c8e-9a7f-2d5e8b1c4a90/" + CONTAINER_ID + "\n"
      + "0::/\n";
  static final String CGROUP_V2 = "0::/kubepods.slice/kubepods-burstable.slice/"
      + "kubepods-burstable-pod0f3c9e2a_6b1d_4c8e_9a7f_2d5e8b1c4a90.slice/cri-containerd-" + CONTAINER_ID + ".scope\n";
  static final String CLUSTER_INFO = "{\n"
      + "  \"kind\": \"ConfigMap\",\n"
      + "  \"apiVersion\": \"v1\",\n"
      + "  \"metadata\": {\n"
      + "    \"name\": \"cluster-info\",\n"
      + "    \"namespace\": \"amazon-cloudwatch\",\n"
      + "    \"uid\": \"5d0c1c1e-8f0a-4c51-8c3e-0f0c6c2b9a11\",\n"
      + "    \"resourceVersion\": \"1181\",\n"
      + "    \"creationTimestamp\": \"2024-04-18T08:02:45Z\"\n"
      + "  },\n"
      + "  \"data\": {\n"
      + "    \"cluster.name\": \"prod-eks\",\n"
      + "    \"logs.region\": \"eu-west-1\"\n"
      + "  }\n"
      + "}";

  @TempDir Path dir;
  private MetadataServer kubernetes;
  private CapturedLogs logs;
  private Path token;
  private Path cgroup;

  @BeforeEach
  void start() throws IOException {
    kubernetes = MetadataServer.start();
    logs = new CapturedLogs();
    token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    cgroup = Files.writeString(dir.resolve("cgroup"), CGROUP_V1);
  }

  @AfterEach
  void stop() {
    kubernetes.close();
    logs.close();
  }

  /** The API: the config map for the right bearer token only, as RBAC would. */
  static void playKubernetes(MetadataServer server, String configMap) {
    server.on("GET", EKSPlugin.CLUSTER_INFO_PATH, request -> ("Bearer " + TOKEN).equals(request.header("Authorization"))
        ? new MetadataServer.Answer(200, configMap)
        : new MetadataServer.Answer(401, "{\"kind\":\"Status\",\"code\":401}"));
  }

  private EKSPlugin plugin() {
    return EKSPlugin.builder()
        .apiUrl(kubernetes.url())
        .tokenFile(token)
        .caFile(dir.resolve("no-ca.crt"))
        .cgroupFile(cgroup)
        .environment(Map.of("HOSTNAME", POD))
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  @Test
  void clusterNamePodAndContainerId() {
    playKubernetes(kubernetes, CLUSTER_INFO);

    PluginData data = plugin().collect();

    assertThat(data.origin()).isEqualTo("AWS::EKS::Container");
    assertThat(data.aws()).containsOnlyKeys("eks", "cloudwatch_logs");
    assertThat(data.aws().get("eks")).isEqualTo(Map.of(
        "cluster_name", "prod-eks", "pod", POD, "container_id", CONTAINER_ID));
    assertThat(data.aws().get("cloudwatch_logs"))
        .isEqualTo(List.of(Map.of("log_group", "/aws/containerinsights/prod-eks/application")));
    MetadataServer.Request request = kubernetes.requests().get(0);
    assertThat(request.method + " " + request.path)
        .isEqualTo("GET /api/v1/namespaces/amazon-cloudwatch/configmaps/cluster-info");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(logs.all()).isEmpty();
  }

  @Test
  void containerIdFromACgroupV2Line() throws IOException {
    Files.writeString(cgroup, CGROUP_V2);
    playKubernetes(kubernetes, CLUSTER_INFO);

    @SuppressWarnings("unchecked")
    Map<String, Object> eks = (Map<String, Object>) plugin().collect().aws().get("eks");

    assertThat(eks).containsEntry("container_id", CONTAINER_ID);
  }

  @Test
  void noContainerIdInTheCgroupFileLeavesItOut() throws IOException {
    Files.writeString(cgroup, "0::/\n");
    playKubernetes(kubernetes, CLUSTER_INFO);

    PluginData data = plugin().collect();

    assertThat(data.origin()).isEqualTo("AWS::EKS::Container");
    assertThat(data.aws().get("eks")).isEqualTo(Map.of("cluster_name", "prod-eks", "pod", POD));
  }

  @Test
  void noCgroupFileLeavesTheContainerIdOut() throws IOException {
    Files.delete(cgroup);
    playKubernetes(kubernetes, CLUSTER_INFO);

    assertThat(plugin().collect().aws().get("eks")).isEqualTo(Map.of("cluster_name", "prod-eks", "pod", POD));
  }

  @Test
  void withoutATokenNotInKubernetesAndNoCall() throws IOException {
    Files.delete(token);

    assertThat(plugin().collect()).isEqualTo(PluginData.empty());
    assertThat(kubernetes.requests()).isEmpty();
    assertThat(logs.at(Level.INFO)).singleElement().asString().contains("not running in a Kubernetes pod");
  }

  @Test
  void aClusterWithoutTheConfigMapAddsNothing() {
    kubernetes.on("GET", EKSPlugin.CLUSTER_INFO_PATH, 404,
        "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");

    assertThat(plugin().collect()).isEqualTo(PluginData.empty());
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("HTTP 404").doesNotContain(TOKEN);
  }

  @Test
  void aConfigMapWithoutTheClusterNameAddsNothing() {
    playKubernetes(kubernetes, "{\"kind\":\"ConfigMap\",\"data\":{\"logs.region\":\"eu-west-1\"}}");

    assertThat(plugin().collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("no data.cluster.name");
  }

  @Test
  void malformedConfigMapAddsNothing() {
    playKubernetes(kubernetes, "{\"kind\":\"ConfigMap\",\"data\":{\"cluster.name\":\"prod-eks\"");

    assertThat(plugin().collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("malformed JSON");
  }

  // A Kubernetes API over HTTPS: a self-signed certificate for 127.0.0.1, made with the JDK's
  // keytool, serves as the cluster's CA; a second one plays a CA from another cluster.
  @TempDir static Path tls;
  private static final char[] PASSWORD = "changeit".toCharArray();

  @BeforeAll
  static void makeCertificates() throws Exception {
    for (String name : new String[] {"cluster", "other"}) {
      keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=kubernetes", "-ext", "SAN=IP:127.0.0.1,DNS:kubernetes.default.svc", "-validity", "2",
          "-keystore", tls.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
          "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
      keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", tls.resolve(name + ".p12").toString(),
          "-storepass", new String(PASSWORD), "-file", tls.resolve(name + "-ca.crt").toString());
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  /** The fake API over HTTPS with the "cluster" certificate. */
  private static HttpsServer httpsKubernetes() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.resolve("cluster.p12"))) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(EKSPlugin.CLUSTER_INFO_PATH, exchange -> {
      try {
        exchange.getRequestBody().readAllBytes();
        byte[] body = CLUSTER_INFO.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return server;
  }

  private EKSPlugin httpsPlugin(HttpsServer server, Path caFile) {
    return EKSPlugin.builder()
        .apiUrl("https://127.0.0.1:" + server.getAddress().getPort())
        .tokenFile(token)
        .caFile(caFile)
        .cgroupFile(cgroup)
        .environment(Map.of("HOSTNAME", POD))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void overHttpsTheClusterCaIsTrusted() throws Exception {
    HttpsServer server = httpsKubernetes();
    try {
      PluginData data = httpsPlugin(server, tls.resolve("cluster-ca.crt")).collect();

      assertThat(data.origin()).isEqualTo("AWS::EKS::Container");
      assertThat(data.aws().get("eks")).isEqualTo(Map.of(
          "cluster_name", "prod-eks", "pod", POD, "container_id", CONTAINER_ID));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void overHttpsAnotherCaIsNotTrusted() throws Exception {
    HttpsServer server = httpsKubernetes();
    try {
      assertThat(httpsPlugin(server, tls.resolve("other-ca.crt")).collect().isEmpty()).isTrue();
      // Without the CA file, the JVM's trust store does not know the cluster's CA either.
      assertThat(httpsPlugin(server, tls.resolve("absent.crt")).collect().isEmpty()).isTrue();
      assertThat(logs.at(Level.WARNING)).hasSize(2).allSatisfy(line -> assertThat(line).contains("cluster-info"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aCaFileThatIsNotACertificateAddsNothingOverHttps() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    EKSPlugin plugin = EKSPlugin.builder().apiUrl("https://127.0.0.1:1").tokenFile(token).caFile(ca)
        .cgroupFile(cgroup).environment(Map.of("HOSTNAME", POD)).timeout(Duration.ofMillis(300)).build();

    assertThat(plugin.collect().isEmpty()).isTrue();
    assertThat(logs.at(Level.WARNING)).singleElement().asString().contains("cluster CA file");
  }
}

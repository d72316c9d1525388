package dev.radiograph.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Amazon EKS: a pod whose service account token is mounted
 * ({@code /var/run/secrets/kubernetes.io/serviceaccount/token}) asks the Kubernetes API for the
 * {@code cluster-info} config map that CloudWatch Container Insights installs ({@code GET
 * https://kubernetes.default.svc/api/v1/namespaces/amazon-cloudwatch/configmaps/cluster-info},
 * the token as {@code Bearer}), trusting the cluster's CA ({@code .../serviceaccount/ca.crt}).
 * Recorded as
 *
 * <pre>{@code
 * "aws": {
 *   "eks": {"cluster_name": "<data.cluster.name>", "pod": "<HOSTNAME>", "container_id": "<64 hex from /proc/self/cgroup>"},
 *   "cloudwatch_logs": [{"log_group": "/aws/containerinsights/<cluster>/application"}]
 * }
 * }</pre>
 *
 * with origin {@code AWS::EKS::Container}. The log group is where Container Insights sends the
 * application's logs, as the AWS X-Ray Java SDK records it.
 *
 * <p>No token: not in Kubernetes, nothing added. No cluster name (the API unreachable, the config
 * map missing, or the service account not allowed to read it): nothing added either, since
 * without it this is any Kubernetes cluster and {@code AWS::EKS::Container} would be a guess. No
 * container id in the cgroup file (cgroup v2 with a private cgroup namespace): the rest without
 * {@code container_id}.
 */
public final class EKSPlugin extends MetadataPlugin {
  /** The origin this plugin sets. */
  public static final String ORIGIN = "AWS::EKS::Container";
  /** The Kubernetes API as every pod reaches it. */
  public static final String DEFAULT_API_URL = "https://kubernetes.default.svc";

  static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final Path DEFAULT_TOKEN_FILE = Path.of(SERVICE_ACCOUNT, "token");
  static final Path DEFAULT_CA_FILE = Path.of(SERVICE_ACCOUNT, "ca.crt");
  static final Path DEFAULT_CGROUP_FILE = Path.of("/proc/self/cgroup");
  static final String CLUSTER_INFO_PATH = "/api/v1/namespaces/amazon-cloudwatch/configmaps/cluster-info";

  private final String apiUrl;
  private final Path tokenFile;
  private final Path caFile;
  private final Path cgroupFile;
  private final Map<String, String> environment;
  private final Duration timeout;

  /** The real token, CA, cgroup file, API and environment; {@link Plugins#DEFAULT_TIMEOUT} per call. */
  public EKSPlugin() {
    this(builder());
  }

  private EKSPlugin(Builder b) {
    this.apiUrl = b.apiUrl;
    this.tokenFile = b.tokenFile;
    this.caFile = b.caFile;
    this.cgroupFile = b.cgroupFile;
    this.environment = b.environment;
    this.timeout = b.timeout;
  }

  /** A builder whose defaults are the real locations; tests point them elsewhere. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "EKSPlugin";
  }

  @Override
  PluginData fetch() throws Unavailable {
    byte[] tokenBytes = readSmallFile(tokenFile);
    if (tokenBytes == null) {
      throw Unavailable.notHere("no service account token at " + tokenFile + ": not running in a Kubernetes pod");
    }
    String token = utf8(tokenBytes).trim();
    if (token.isEmpty()) {
      throw Unavailable.failed("the service account token at " + tokenFile + " is empty");
    }
    String clusterName = clusterName(token);

    Map<String, Object> eks = new LinkedHashMap<>();
    eks.put("cluster_name", clusterName);
    putIfPresent(eks, "pod", hostname(environment));
    putIfPresent(eks, "container_id", containerId());
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("eks", eks);
    aws.put("cloudwatch_logs", List.of(Map.of("log_group", "/aws/containerinsights/" + clusterName + "/application")));
    return PluginData.of(ORIGIN, aws);
  }

  private String clusterName(String token) throws Unavailable {
    String url = apiUrl + CLUSTER_INFO_PATH;
    boolean https = apiUrl.regionMatches(true, 0, "https:", 0, 6);
    MetadataHttp http = new MetadataHttp(timeout, https ? clusterTrust() : null);
    MetadataHttp.Response response;
    try {
      response = http.send("GET", resolve(apiUrl, CLUSTER_INFO_PATH),
          "Authorization", "Bearer " + token, "Accept", "application/json");
    } catch (IOException e) {
      throw Unavailable.failed("cannot get the cluster-info config map from " + url + ": " + describe(e));
    }
    if (response.status != 200) {
      throw Unavailable.failed("HTTP " + response.status + " for " + url + " (CloudWatch Container Insights"
          + " creates that config map; the pod's service account must be allowed to read it)");
    }
    Map<String, Object> data = member(jsonObject(response.body, url), "data");
    String name = text(data, "cluster.name");
    if (name == null) {
      name = text(member(data, "cluster"), "name"); // in case a tool wrote it nested
    }
    if (name == null) {
      throw Unavailable.failed("the cluster-info config map at " + url + " has no data.cluster.name");
    }
    return name;
  }

  /**
   * An SSL context that trusts the cluster's CA, or {@code null} (the JVM's trust store) when the
   * CA file is not there.
   */
  private SSLContext clusterTrust() throws Unavailable {
    byte[] pem = readSmallFile(caFile);
    if (pem == null) {
      return null;
    }
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (certificates.isEmpty()) {
        throw Unavailable.failed("no certificate in the cluster CA file " + caFile);
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("kubernetes-ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw Unavailable.failed("cannot use the cluster CA file " + caFile + ": " + e);
    }
  }

  private String containerId() {
    try {
      byte[] cgroups = readSmallFile(cgroupFile);
      return cgroups == null ? null : CgroupContainerId.find(utf8(cgroups));
    } catch (Unavailable e) {
      return null; // the container id is optional; the rest is still right
    }
  }

  @Override
  public String toString() {
    return "EKSPlugin{" + apiUrl + ", token " + tokenFile + ", timeout " + timeout.toMillis() + " ms}";
  }

  /** Where the EKS plugin looks; each default is the real location. */
  public static final class Builder {
    private String apiUrl = DEFAULT_API_URL;
    private Path tokenFile = DEFAULT_TOKEN_FILE;
    private Path caFile = DEFAULT_CA_FILE;
    private Path cgroupFile = DEFAULT_CGROUP_FILE;
    private Map<String, String> environment = System.getenv();
    private Duration timeout = Plugins.DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * The Kubernetes API's base URL; default {@value EKSPlugin#DEFAULT_API_URL}.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL
     */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = checkBaseUrl(apiUrl, "Kubernetes API URL");
      return this;
    }

    /** The service account token; default {@code /var/run/secrets/kubernetes.io/serviceaccount/token}. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
      return this;
    }

    /** The cluster's CA bundle (PEM); default {@code /var/run/secrets/kubernetes.io/serviceaccount/ca.crt}. */
    public Builder caFile(Path caFile) {
      this.caFile = Objects.requireNonNull(caFile, "caFile");
      return this;
    }

    /** The cgroup file with the container id; default {@code /proc/self/cgroup}. */
    public Builder cgroupFile(Path cgroupFile) {
      this.cgroupFile = Objects.requireNonNull(cgroupFile, "cgroupFile");
      return this;
    }

    /** Where {@code HOSTNAME} (the pod's name) is read; default the process's environment. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /**
     * The timeout of the call to the Kubernetes API; default {@link Plugins#DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = checkTimeout(timeout);
      return this;
    }

    public EKSPlugin build() {
      return new EKSPlugin(this);
    }
  }
}

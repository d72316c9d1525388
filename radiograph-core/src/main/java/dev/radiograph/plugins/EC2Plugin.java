package dev.radiograph.plugins;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Amazon EC2: the instance identity document from the instance metadata service (IMDS), recorded
 * as {@code aws.ec2 = {"instance_id", "availability_zone", "instance_size", "ami_id"}} with origin
 * {@code AWS::EC2::Instance}.
 *
 * <p>IMDSv2 first: {@code PUT /latest/api/token} with {@code X-aws-ec2-metadata-token-ttl-seconds},
 * then {@code GET /latest/dynamic/instance-identity/document} with {@code
 * X-aws-ec2-metadata-token}. IMDSv1 (the same {@code GET} without a token) only when IMDS answers
 * the token request with an error status (an IMDS that predates v2, or one that refuses tokens).
 *
 * <p>RATIONALE: no IMDSv1 attempt after a token request that got no answer at all. Off EC2 nothing
 * answers at 169.254.169.254, and a second call would double what an application off EC2 waits;
 * so an endpoint that never answers costs one timeout, once. The price: in a container whose
 * instance sets the IMDS hop limit to 1, where the token's answer cannot reach the container, this
 * plugin adds nothing (on ECS, {@link ECSPlugin} describes the container instead).
 */
public final class EC2Plugin extends MetadataPlugin {
  /** The origin this plugin sets. */
  public static final String ORIGIN = "AWS::EC2::Instance";
  /** Where IMDS listens on every instance. */
  public static final String DEFAULT_ENDPOINT = "http://169.254.169.254";

  static final String TOKEN_PATH = "/latest/api/token";
  static final String DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";
  static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  /** The token serves two calls made a moment apart; a minute is plenty. */
  private static final String TOKEN_TTL_SECONDS = "60";

  private final String endpoint;
  private final Duration timeout;

  /** IMDS at {@value #DEFAULT_ENDPOINT}, {@link Plugins#DEFAULT_TIMEOUT} per call. */
  public EC2Plugin() {
    this(DEFAULT_ENDPOINT, Plugins.DEFAULT_TIMEOUT);
  }

  /**
   * IMDS at {@code endpoint} (scheme, host and port, such as {@code http://127.0.0.1:8080}) with
   * {@code timeout} per call.
   *
   * @throws IllegalArgumentException if the endpoint is not an http(s) URL or the timeout is not positive
   */
  public EC2Plugin(String endpoint, Duration timeout) {
    this.endpoint = checkBaseUrl(endpoint, "EC2 metadata endpoint");
    this.timeout = checkTimeout(timeout);
  }

  @Override
  public String name() {
    return "EC2Plugin";
  }

  @Override
  PluginData fetch() throws Unavailable {
    MetadataHttp http = new MetadataHttp(timeout, null);
    String token = token(http);
    MetadataHttp.Response response;
    try {
      response = token == null
          ? http.send("GET", resolve(endpoint, DOCUMENT_PATH))
          : http.send("GET", resolve(endpoint, DOCUMENT_PATH), TOKEN_HEADER, token);
    } catch (IOException e) {
      throw Unavailable.failed("cannot get the instance identity document from " + endpoint + ": " + describe(e));
    }
    if (response.status != 200) {
      throw Unavailable.failed("HTTP " + response.status + " for the instance identity document from "
          + endpoint + (token == null ? " (IMDSv1)" : ""));
    }
    Map<String, Object> document = jsonObject(response.body, "the instance identity document at " + endpoint);
    String instanceId = text(document, "instanceId");
    if (instanceId == null) {
      throw Unavailable.failed("the instance identity document at " + endpoint + " has no instanceId");
    }
    Map<String, Object> ec2 = new LinkedHashMap<>();
    ec2.put("instance_id", instanceId);
    putIfPresent(ec2, "availability_zone", text(document, "availabilityZone"));
    putIfPresent(ec2, "instance_size", text(document, "instanceType"));
    putIfPresent(ec2, "ami_id", text(document, "imageId"));
    return PluginData.of(ORIGIN, Map.of("ec2", ec2));
  }

  /**
   * An IMDSv2 token, or {@code null} to go on with IMDSv1 when IMDS answered the request for one
   * with an error.
   *
   * @throws Unavailable when IMDS does not answer at all
   */
  private String token(MetadataHttp http) throws Unavailable {
    MetadataHttp.Response response;
    try {
      response = http.send("PUT", resolve(endpoint, TOKEN_PATH), TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS);
    } catch (IOException e) {
      throw Unavailable.failed("no instance metadata service at " + endpoint + ": " + describe(e));
    }
    if (response.status == 200) {
      String token = utf8(response.body).trim();
      if (!token.isEmpty()) {
        return token;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "EC2Plugin{" + endpoint + ", timeout " + timeout.toMillis() + " ms}";
  }
}

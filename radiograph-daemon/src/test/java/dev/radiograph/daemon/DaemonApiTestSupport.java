package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;

/** Small HTTP and document helpers for daemon tests. */
public final class DaemonApiTestSupport {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DaemonApiTestSupport() {}

  static String post(Daemon daemon, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * POSTs {@code body} to {@code baseUrl + path} as JSON, as the AWS SDKs send the X-Ray API
   * (Content-Type {@code application/json}); a hung daemon fails the call after 30 s.
   */
  static HttpResponse<String> postJson(String baseUrl, String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #postJson}, asserting the daemon answered 200; the answer's body. */
  static String postJsonOk(String baseUrl, String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = postJson(baseUrl, path, body);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  /**
   * The AWS SDK v2 X-Ray client pointed at {@code daemon}, as the AWS CLI and SDKs are with an
   * endpoint override: region us-east-1, made-up static credentials, no retries (a test sees the
   * first answer), 10 s per call.
   */
  static XRayClient xrayClient(Daemon daemon) {
    return XRayClient.builder()
        .endpointOverride(URI.create(daemon.baseUrl()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(10)))
        .build();
  }

  static String get(Daemon daemon, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The entities in a document: itself and every subsegment nested in it. */
  public static int entities(JsonNode entity) {
    int n = 1;
    for (JsonNode sub : entity.path("subsegments")) {
      n += entities(sub);
    }
    return n;
  }
}

package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Recorder;
import dev.radiograph.RecordingTest;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** Real SDK clients against loopback servers, recording to a real UDP socket. */
abstract class AwsSdkScenario extends RecordingTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern PARENT = Pattern.compile("Parent=([0-9a-f]{16})");

  /** Endpoint, region, static credentials, three attempts without backoff; the explicit interceptor for {@code recorder}. */
  static <B extends AwsClientBuilder<B, ?>> B configured(B builder, URI endpoint, Recorder recorder) {
    return configuredWithout(builder, endpoint)
        .overrideConfiguration(overrides(recorder).build());
  }

  /** As {@link #configured}, with no explicit interceptor (only the global one). */
  static <B extends AwsClientBuilder<B, ?>> B configuredWithout(B builder, URI endpoint) {
    return builder.endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(overrides(null).build());
  }

  static ClientOverrideConfiguration.Builder overrides(Recorder recorder) {
    ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
        .retryStrategy(b -> b.maxAttempts(3)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()));
    return recorder != null ? overrides.addExecutionInterceptor(new RadiographAwsInterceptor(recorder)) : overrides;
  }

  /** Runs {@code calls} in a segment named {@code name}, ended (and sent) afterwards. */
  void inSegment(String name, Runnable calls) {
    recorder.beginSegment(name);
    try {
      calls.run();
    } finally {
      recorder.endSegment();
    }
  }

  /** The one subsegment of the one segment document that arrives. */
  JsonNode onlyCall() throws java.io.IOException {
    JsonNode segment = daemon.receiveOne(WAIT);
    assertThat(segment.path("subsegments")).hasSize(1);
    return segment.at("/subsegments/0");
  }

  static String parentOf(String traceHeader) {
    Matcher m = PARENT.matcher(traceHeader);
    assertThat(m.find()).as("Parent in %s", traceHeader).isTrue();
    return m.group(1);
  }

  static void assertFlags(JsonNode call, boolean throttle, boolean error, boolean fault) {
    assertThat(call.path("throttle").asBoolean()).as("throttle of %s", call).isEqualTo(throttle);
    assertThat(call.path("error").asBoolean()).as("error of %s", call).isEqualTo(error);
    assertThat(call.path("fault").asBoolean()).as("fault of %s", call).isEqualTo(fault);
  }
}

package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceHeader;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/** S3 (REST-XML), SNS (Query, XML answers) and Lambda (REST-JSON) against loopback servers. */
class RestAndQueryServicesTest extends AwsSdkScenario {

  @Test
  void s3PutObjectNamesBucketAndKeyWithBothRequestIdsAndNoObjectData() throws Exception {
    try (FakeAwsServer s3 = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200, "application/xml", "",
            "x-amz-request-id", "s3-req-1", "x-amz-id-2", "s3-id2-1"));
         S3Client sync = configured(S3Client.builder(), s3.endpoint(), recorder).forcePathStyle(true)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
         S3AsyncClient async = configured(S3AsyncClient.builder(), s3.endpoint(), recorder).forcePathStyle(true)
             .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build()) {
      recorder.beginSegment("uploader");
      sync.putObject(b -> b.bucket("invoices").key("2024/05/invoice-1.pdf"), RequestBody.fromString("secret-object-data"));
      async.putObject(b -> b.bucket("invoices").key("async.pdf"), AsyncRequestBody.fromString("secret-object-data"))
          .get(10, TimeUnit.SECONDS);
      recorder.endSegment();

      JsonNode doc = daemon.receiveOne(WAIT);
      List<JsonNode> calls = UdpDaemon.subsegments(doc);
      assertThat(calls).hasSize(2);
      for (JsonNode call : calls) {
        assertThat(call.get("name").asText()).isEqualTo("S3");
        assertThat(call.at("/aws/operation").asText()).isEqualTo("PutObject");
        assertThat(call.at("/aws/bucket_name").asText()).isEqualTo("invoices");
        assertThat(call.at("/aws/request_id").asText()).isEqualTo("s3-req-1");
        assertThat(call.at("/aws/id_2").asText()).isEqualTo("s3-id2-1");
        assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
      }
      assertThat(calls.get(0).at("/aws/key").asText()).isEqualTo("2024/05/invoice-1.pdf");
      assertThat(calls.get(1).at("/aws/key").asText()).isEqualTo("async.pdf");
      assertThat(doc.toString()).doesNotContain("secret-");
      assertThat(s3.received()).hasSize(2);
      assertThat(s3.received().get(0).path()).startsWith("/invoices/2024/05/invoice-1.pdf");
      assertThat(parentOf(s3.received().get(0).header(TraceHeader.HEADER_NAME))).isEqualTo(calls.get(0).get("id").asText());
      assertThat(parentOf(s3.received().get(1).header(TraceHeader.HEADER_NAME))).isEqualTo(calls.get(1).get("id").asText());
    }
  }

  @Test
  void snsPublishNamesTheTopicAndTheMessageIdNotTheMessage() throws IOException {
    String answer = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
        + "<PublishResult><MessageId>sns-msg-1</MessageId></PublishResult>"
        + "<ResponseMetadata><RequestId>sns-req-1</RequestId></ResponseMetadata></PublishResponse>";
    String topic = "arn:aws:sns:us-east-1:123456789012:orders";
    try (FakeAwsServer sns = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200, "text/xml", answer));
         SnsClient client = configured(SnsClient.builder(), sns.endpoint(), recorder)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      recorder.beginSegment("publisher");
      client.publish(b -> b.topicArn(topic).message("secret-message-body"));
      recorder.endSegment();

      JsonNode call = onlyCall();
      assertThat(call.get("name").asText()).isEqualTo("Sns");
      assertThat(call.at("/aws/operation").asText()).isEqualTo("Publish");
      assertThat(call.at("/aws/topic_arn").asText()).isEqualTo(topic);
      assertThat(call.at("/aws/message_id").asText()).isEqualTo("sns-msg-1");
      assertThat(call.at("/aws/request_id").asText()).isEqualTo("sns-req-1");
      assertThat(call.toString()).doesNotContain("secret-");
      assertThat(sns.received().get(0).body()).contains("Action=Publish");
      assertThat(parentOf(sns.received().get(0).header(TraceHeader.HEADER_NAME))).isEqualTo(call.get("id").asText());
    }
  }

  @Test
  void lambdaInvokeNamesTheFunctionAndInvocationTypeAndNotFoundIsAnError() throws IOException {
    try (FakeAwsServer lambda = FakeAwsServer.start(request -> FakeAwsServer.Reply.of(200, "application/json",
            "{\"secret\":\"result\"}", "x-amzn-RequestId", "lambda-req-1", "X-Amz-Executed-Version", "$LATEST"));
         LambdaClient client = configured(LambdaClient.builder(), lambda.endpoint(), recorder)
             .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      lambda.answerNext(FakeAwsServer.Reply.of(200, "application/json", "{\"secret\":\"result\"}",
              "x-amzn-RequestId", "lambda-req-1"),
          FakeAwsServer.Reply.of(404, "application/json", "{\"Type\":\"User\",\"message\":\"Function not found\"}",
              "x-amzn-ErrorType", "ResourceNotFoundException", "x-amzn-RequestId", "lambda-req-2"));
      recorder.beginSegment("caller");
      client.invoke(b -> b.functionName("resize").invocationType(InvocationType.REQUEST_RESPONSE)
          .payload(SdkBytes.fromUtf8String("{\"secret\":\"payload\"}")));
      assertThatThrownBy(() -> client.invoke(b -> b.functionName("missing")))
          .isInstanceOf(ResourceNotFoundException.class);
      recorder.endSegment();

      List<JsonNode> calls = UdpDaemon.subsegments(daemon.receiveOne(WAIT));
      JsonNode invoke = calls.get(0);
      assertThat(invoke.get("name").asText()).isEqualTo("Lambda");
      assertThat(invoke.at("/aws/operation").asText()).isEqualTo("Invoke");
      assertThat(invoke.at("/aws/function_name").asText()).isEqualTo("resize");
      assertThat(invoke.at("/aws/invocation_type").asText()).isEqualTo("RequestResponse");
      assertThat(invoke.at("/aws/request_id").asText()).isEqualTo("lambda-req-1");
      assertThat(invoke.toString()).doesNotContain("secret");
      assertFlags(invoke, false, false, false);

      JsonNode missing = calls.get(1);
      assertThat(missing.at("/aws/function_name").asText()).isEqualTo("missing");
      assertThat(missing.at("/aws/request_id").asText()).isEqualTo("lambda-req-2");
      assertThat(missing.at("/http/response/status").asInt()).isEqualTo(404);
      assertFlags(missing, false, true, false);
      assertThat(missing.at("/cause/exceptions/0/remote").asBoolean()).isTrue();
      assertThat(missing.at("/cause/exceptions/0/type").asText()).endsWith("ResourceNotFoundException");

      assertThat(lambda.received().get(0).path()).isEqualTo("/2015-03-31/functions/resize/invocations");
      assertThat(parentOf(lambda.received().get(0).header(TraceHeader.HEADER_NAME))).isEqualTo(invoke.get("id").asText());
    }
  }
}

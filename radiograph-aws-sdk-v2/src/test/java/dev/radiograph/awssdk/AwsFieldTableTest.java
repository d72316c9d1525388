package dev.radiograph.awssdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsFieldTableTest {
  private static List<String> keys(List<AwsFieldTable.Field> fields) {
    return fields.stream().map(f -> f.awsKey() + ":" + f.sdkField()).toList();
  }

  @Test
  void theBuiltInTableCoversTheServicesXRayShows() {
    AwsFieldTable table = AwsFieldTable.load(getClass().getClassLoader(), null);
    assertThat(keys(table.fields("DynamoDb", "GetItem").request())).containsExactly("table_name:TableName");
    assertThat(keys(table.fields("DynamoDb", "BatchWriteItem").request()))
        .contains("table_names:RequestItems");
    assertThat(keys(table.fields("Sqs", "SendMessage").request())).containsExactly("queue_url:QueueUrl");
    assertThat(keys(table.fields("Sqs", "SendMessage").response())).containsExactly("message_id:MessageId");
    assertThat(keys(table.fields("Sns", "Publish").request())).containsExactly("topic_arn:TopicArn");
    assertThat(keys(table.fields("S3", "GetObject").request())).containsExactly("bucket_name:Bucket", "key:Key");
    assertThat(keys(table.fields("Lambda", "Invoke").request()))
        .containsExactly("function_name:FunctionName", "invocation_type:InvocationType");
    assertThat(keys(table.fields("Kinesis", "PutRecord").request())).containsExactly("stream_name:StreamName");
    assertThat(keys(table.fields("Sfn", "StartExecution").request())).containsExactly("state_machine_arn:stateMachineArn");
    assertThat(keys(table.fields("EventBridge", "PutRule").request())).containsExactly("event_bus_name:EventBusName");
    assertThat(table.fields("Unknown", "Call")).isSameAs(AwsFieldTable.Fields.NONE);
  }

  @Test
  void aUserFileAddsServicesAndReplacesEntriesAndMalformedPairsAreSkipped(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("fields.properties");
    Files.writeString(file, "Athena.*=work_group:WorkGroup,broken,:x\nS3.*=bucket_name:Bucket\n");
    AwsFieldTable table = AwsFieldTable.load(getClass().getClassLoader(), file.toString());
    assertThat(keys(table.fields("Athena", "StartQueryExecution").request())).containsExactly("work_group:WorkGroup");
    assertThat(keys(table.fields("S3", "GetObject").request())).containsExactly("bucket_name:Bucket");
  }

  @Test
  void aMissingUserFileLeavesTheBuiltInTable() {
    AwsFieldTable table = AwsFieldTable.load(getClass().getClassLoader(), "/nonexistent/fields.properties");
    assertThat(table.fields("DynamoDb", "GetItem").request()).isNotEmpty();
  }

  @Test
  void anOperationsEntryOverridesTheServiceWideOnePerKey() {
    AwsFieldTable table = new AwsFieldTable(Map.of("X.*", "a:A,b:B", "X.Op", "b:Other,c:C"));
    assertThat(keys(table.fields("X", "Op").request())).containsExactly("a:A", "b:Other", "c:C");
  }
}

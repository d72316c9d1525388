package dev.radiograph.spring.aws;

import dev.radiograph.spring.PlainWebApplication;
import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An application that reads DynamoDB with a client it builds itself, as any application would:
 * no interceptor, no Radiograph code; radiograph-aws-sdk-v2 is only on the class path.
 */
@PlainWebApplication
public class AwsApplication {
  @Bean(destroyMethod = "close")
  DynamoDbClient dynamoDb(@Value("${test.dynamodb-endpoint}") String endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @RestController
  static class Orders {
    private final DynamoDbClient dynamoDb;

    Orders(DynamoDbClient dynamoDb) {
      this.dynamoDb = dynamoDb;
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable("id") String id) {
      return dynamoDb.getItem(b -> b.tableName("orders").key(Map.of("id", AttributeValue.fromS(id))))
          .item().get("status").s();
    }
  }
}

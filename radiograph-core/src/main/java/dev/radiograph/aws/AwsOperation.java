package dev.radiograph.aws;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * What an AWS SDK integration knows about a call before it is sent: the service, which names the
 * subsegment as the AWS X-Ray SDKs name it ({@code DynamoDb}, {@code S3}, {@code Sqs}), the
 * operation ({@code GetItem}), the region, the account when the user set one, and the resources
 * the request names ({@code table_name}, {@code queue_url}, {@code bucket_name}, ...). Immutable;
 * build one with {@link #builder(String, String)}.
 *
 * <p>Resource values are names and ids only: a value that is not a string, number, boolean or
 * collection of strings is dropped, as is a key outside {@code [A-Za-z0-9_]} or one of the
 * fields the helper writes itself ({@code operation}, {@code region}, {@code request_id},
 * {@code id_2}, {@code account_id}, {@code retries}).
 */
public final class AwsOperation {
  private final String service;
  private final String operation;
  private final String region;
  private final String accountId;
  private final Map<String, Object> resources;

  private AwsOperation(Builder builder) {
    this.service = builder.service;
    this.operation = builder.operation;
    this.region = builder.region;
    this.accountId = builder.accountId;
    this.resources = Collections.unmodifiableMap(builder.resources);
  }

  /**
   * A builder for a call of {@code operation} on {@code service}.
   *
   * @param service the SDK's service name ({@code DynamoDb}, {@code S3}): the subsegment's name
   * @param operation the operation's name ({@code GetItem}, {@code SendMessage})
   */
  public static Builder builder(String service, String operation) {
    return new Builder(service, operation);
  }

  public String service() {
    return service;
  }

  public String operation() {
    return operation;
  }

  /** The region ({@code us-east-1}), or null. */
  public String region() {
    return region;
  }

  /** The account id, or null. */
  public String accountId() {
    return accountId;
  }

  /** The resource fields, in the order given. */
  public Map<String, Object> resources() {
    return resources;
  }

  @Override
  public String toString() {
    return "AwsOperation[" + service + "." + operation + (region != null ? ", " + region : "") + "]";
  }

  /** Builds an {@link AwsOperation}. */
  public static final class Builder {
    private final String service;
    private final String operation;
    private String region;
    private String accountId;
    private final Map<String, Object> resources = AwsFields.newFields();

    private Builder(String service, String operation) {
      this.service = Objects.requireNonNull(service, "service");
      this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** The region the client calls; null or empty when not known. */
    public Builder region(String region) {
      this.region = AwsFields.known(region);
      return this;
    }

    /** The account id, when the user set one; null or empty when not known. */
    public Builder accountId(String accountId) {
      this.accountId = AwsFields.known(accountId);
      return this;
    }

    /**
     * A resource field X-Ray shows for this operation ({@code table_name}, {@code queue_url},
     * {@code table_names}). Dropped when the key or value is not acceptable (see the class).
     */
    public Builder resource(String key, Object value) {
      AwsFields.put(resources, key, value);
      return this;
    }

    public AwsOperation build() {
      return new AwsOperation(this);
    }
  }
}

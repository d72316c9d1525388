package dev.radiograph.sampling;

import java.util.Map;

/**
 * What a sampling rule may match on: the service, and the HTTP request when there is one. Fields
 * are {@code null} when unknown; a rule's {@code *} matches anything, unknown included.
 */
public final class SamplingRequest {
  private final String serviceName;
  private final String host;
  private final String method;
  private final String urlPath;
  private final String serviceType;
  private final String resourceArn;
  private final Map<String, String> attributes;

  public SamplingRequest(String serviceName, String host, String method, String urlPath, String serviceType) {
    this(serviceName, host, method, urlPath, serviceType, null, Map.of());
  }

  private SamplingRequest(String serviceName, String host, String method, String urlPath,
      String serviceType, String resourceArn, Map<String, String> attributes) {
    this.serviceName = serviceName;
    this.host = host;
    this.method = method;
    this.urlPath = urlPath;
    this.serviceType = serviceType;
    this.resourceArn = resourceArn;
    this.attributes = attributes;
  }

  /** A request known only by its service (segment) name. */
  public static SamplingRequest forService(String serviceName) {
    return new SamplingRequest(serviceName, null, null, null, null, null, Map.of());
  }

  /** A builder for a request with every field. */
  public static Builder builder() {
    return new Builder();
  }

  public String serviceName() {
    return serviceName;
  }

  public String host() {
    return host;
  }

  public String method() {
    return method;
  }

  public String urlPath() {
    return urlPath;
  }

  /** The service type, e.g. {@code AWS::EC2::Instance} (the segment's origin). */
  public String serviceType() {
    return serviceType;
  }

  /** The ARN of the resource running the service, or {@code null}. */
  public String resourceArn() {
    return resourceArn;
  }

  /** Attributes a centralized rule's {@code Attributes} must all match; never null. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** Builds a {@link SamplingRequest}. */
  public static final class Builder {
    private String serviceName;
    private String host;
    private String method;
    private String urlPath;
    private String serviceType;
    private String resourceArn;
    private Map<String, String> attributes = Map.of();

    private Builder() {}

    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder urlPath(String urlPath) {
      this.urlPath = urlPath;
      return this;
    }

    public Builder serviceType(String serviceType) {
      this.serviceType = serviceType;
      return this;
    }

    public Builder resourceArn(String resourceArn) {
      this.resourceArn = resourceArn;
      return this;
    }

    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Map.copyOf(attributes);
      return this;
    }

    public SamplingRequest build() {
      return new SamplingRequest(serviceName, host, method, urlPath, serviceType, resourceArn, attributes);
    }
  }
}

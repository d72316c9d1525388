package dev.radiograph.sampling;

/**
 * What a sampler may match on: the service, and the HTTP request when there is one. Fields are
 * {@code null} when unknown.
 */
public final class SamplingRequest {
  private final String serviceName;
  private final String host;
  private final String method;
  private final String urlPath;
  private final String serviceType;

  public SamplingRequest(String serviceName, String host, String method, String urlPath, String serviceType) {
    this.serviceName = serviceName;
    this.host = host;
    this.method = method;
    this.urlPath = urlPath;
    this.serviceType = serviceType;
  }

  /** A request known only by its service (segment) name. */
  public static SamplingRequest forService(String serviceName) {
    return new SamplingRequest(serviceName, null, null, null, null);
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

  public String serviceType() {
    return serviceType;
  }
}

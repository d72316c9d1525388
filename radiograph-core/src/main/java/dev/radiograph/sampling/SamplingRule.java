package dev.radiograph.sampling;

import dev.radiograph.internal.WildcardMatcher;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * One sampling rule: what requests it applies to (X-Ray wildcards, case-insensitive), how many
 * per second it samples before its rate applies, the rate, and an optional rate boost. Immutable;
 * the per-second state lives in the sampler that uses the rule.
 */
public final class SamplingRule {
  /** X-Ray's order: lower priority first, then name. */
  public static final Comparator<SamplingRule> ORDER =
      Comparator.comparingInt(SamplingRule::priority).thenComparing(SamplingRule::name);

  private final String name;
  private final int priority;
  private final int fixedTarget;
  private final double rate;
  private final String serviceName;
  private final String serviceType;
  private final String host;
  private final String httpMethod;
  private final String urlPath;
  private final String resourceArn;
  private final Map<String, String> attributes;
  private final double boostMaxRate;
  private final int boostCooldownMinutes;

  private SamplingRule(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.priority = b.priority;
    this.fixedTarget = b.fixedTarget;
    this.rate = b.rate;
    this.serviceName = b.serviceName;
    this.serviceType = b.serviceType;
    this.host = b.host;
    this.httpMethod = b.httpMethod;
    this.urlPath = b.urlPath;
    this.resourceArn = b.resourceArn;
    this.attributes = Map.copyOf(b.attributes);
    this.boostMaxRate = b.boostMaxRate;
    this.boostCooldownMinutes = b.boostCooldownMinutes;
    if (fixedTarget < 0) {
      throw new IllegalArgumentException("fixed target must be 0 or more, found " + fixedTarget);
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be between 0 and 1, found " + rate);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether this rule applies to {@code request}. */
  public boolean matches(SamplingRequest request) {
    if (!WildcardMatcher.matches(serviceName, request.serviceName())
        || !WildcardMatcher.matches(host, request.host())
        || !WildcardMatcher.matches(httpMethod, request.method())
        || !WildcardMatcher.matches(urlPath, request.urlPath())
        || !WildcardMatcher.matches(serviceType, request.serviceType())
        || !WildcardMatcher.matches(resourceArn, request.resourceArn())) {
      return false;
    }
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String value = request.attributes().get(attribute.getKey());
      if (value == null || !WildcardMatcher.matches(attribute.getValue(), value)) {
        return false;
      }
    }
    return true;
  }

  public String name() {
    return name;
  }

  public int priority() {
    return priority;
  }

  /** Requests per second sampled before the rate applies (X-Ray's reservoir size). */
  public int fixedTarget() {
    return fixedTarget;
  }

  /** Fraction of the other requests sampled. */
  public double rate() {
    return rate;
  }

  public String serviceName() {
    return serviceName;
  }

  public String serviceType() {
    return serviceType;
  }

  public String host() {
    return host;
  }

  public String httpMethod() {
    return httpMethod;
  }

  public String urlPath() {
    return urlPath;
  }

  public String resourceArn() {
    return resourceArn;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  /** Whether the rule carries X-Ray's {@code SamplingRateBoost}. */
  public boolean hasBoost() {
    return boostMaxRate > 0;
  }

  /** The boost's {@code MaxRate}, 0 without a boost. */
  public double boostMaxRate() {
    return boostMaxRate;
  }

  /** The boost's {@code CooldownWindowMinutes}. */
  public int boostCooldownMinutes() {
    return boostCooldownMinutes;
  }

  @Override
  public String toString() {
    return "SamplingRule{" + name + ", priority=" + priority + ", fixedTarget=" + fixedTarget
        + ", rate=" + rate + '}';
  }

  /** Builds a {@link SamplingRule}; every matcher defaults to {@code *}. */
  public static final class Builder {
    private final String name;
    private int priority = 10000;
    private int fixedTarget;
    private double rate;
    private String serviceName = "*";
    private String serviceType = "*";
    private String host = "*";
    private String httpMethod = "*";
    private String urlPath = "*";
    private String resourceArn = "*";
    private Map<String, String> attributes = Map.of();
    private double boostMaxRate;
    private int boostCooldownMinutes;

    private Builder(String name) {
      this.name = name;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder fixedTarget(int fixedTarget) {
      this.fixedTarget = fixedTarget;
      return this;
    }

    public Builder rate(double rate) {
      this.rate = rate;
      return this;
    }

    public Builder serviceName(String pattern) {
      this.serviceName = pattern;
      return this;
    }

    public Builder serviceType(String pattern) {
      this.serviceType = pattern;
      return this;
    }

    public Builder host(String pattern) {
      this.host = pattern;
      return this;
    }

    public Builder httpMethod(String pattern) {
      this.httpMethod = pattern;
      return this;
    }

    public Builder urlPath(String pattern) {
      this.urlPath = pattern;
      return this;
    }

    public Builder resourceArn(String pattern) {
      this.resourceArn = pattern;
      return this;
    }

    public Builder attributes(Map<String, String> patterns) {
      this.attributes = patterns;
      return this;
    }

    /** X-Ray's {@code SamplingRateBoost}: {@code MaxRate} and {@code CooldownWindowMinutes}. */
    public Builder boost(double maxRate, int cooldownMinutes) {
      if (!(maxRate >= 0 && maxRate <= 1)) {
        throw new IllegalArgumentException("boost MaxRate must be between 0 and 1, found " + maxRate);
      }
      this.boostMaxRate = maxRate;
      this.boostCooldownMinutes = cooldownMinutes;
      return this;
    }

    public SamplingRule build() {
      return new SamplingRule(this);
    }
  }
}

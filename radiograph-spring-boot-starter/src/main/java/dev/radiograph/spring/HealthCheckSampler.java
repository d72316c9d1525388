package dev.radiograph.spring;

import dev.radiograph.config.RadiographConfig;
import dev.radiograph.sampling.CentralizedSampler;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.Sampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import dev.radiograph.sampling.SamplingRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The sampler the settings ask for, with one built-in rule in front: requests to the actuator
 * ({@code /actuator} and below) are not sampled, so that health checks and metrics scrapes do not
 * fill the traces. Their trace header is still answered and propagated.
 *
 * <p>The user overrides the rule with a rule of their own that matches the request: in the
 * {@code sampling-rules} file, or among the daemon's centralized rules (other than
 * {@code Default}). Such a request is decided by the user's rules as any other. Setting
 * {@code radiograph.exclude-actuator=false} removes the rule.
 *
 * <p>RATIONALE: the rest of the sampler is what core builds for the same settings: every request
 * with {@code sampling=false}; otherwise the daemon's rules, falling back to the rules file or
 * X-Ray's default rule.
 */
final class HealthCheckSampler implements Sampler {
  /** The built-in rule's name, reported with its decisions. */
  static final String RULE_NAME = "RadiographActuator";

  private static final SamplingDecision EXCLUDED = SamplingDecision.of(false, RULE_NAME);

  private final Sampler delegate;
  private final List<SamplingRule> excluded;
  private final List<SamplingRule> localUserRules;

  private HealthCheckSampler(Sampler delegate, String actuatorPath, List<SamplingRule> localUserRules) {
    this.delegate = delegate;
    this.excluded = List.of(
        SamplingRule.builder(RULE_NAME).urlPath(actuatorPath).fixedTarget(0).rate(0).build(),
        SamplingRule.builder(RULE_NAME).urlPath(actuatorPath + "/*").fixedTarget(0).rate(0).build());
    this.localUserRules = localUserRules;
  }

  /**
   * The sampler for {@code config}, excluding {@code actuatorPath} (empty: nothing excluded).
   *
   * @throws IllegalArgumentException when the rules file cannot be read
   */
  static Sampler create(RadiographConfig config, String actuatorPath) {
    LocalSampler local = LocalSampler.fromConfig(config);
    Sampler sampler = Sampler.fromConfig(config, local);
    if (actuatorPath == null || actuatorPath.isEmpty()) {
      return sampler;
    }
    List<SamplingRule> userRules = new ArrayList<>(local.rules());
    userRules.remove(userRules.size() - 1); // the default rule: not a rule about the actuator
    return new HealthCheckSampler(sampler, actuatorPath, List.copyOf(userRules));
  }

  @Override
  public SamplingDecision sample(SamplingRequest request) {
    if (request.urlPath() == null || !matchesAny(excluded, request) || userRuleMatches(request)) {
      return delegate.sample(request);
    }
    return EXCLUDED;
  }

  private boolean userRuleMatches(SamplingRequest request) {
    if (matchesAny(localUserRules, request)) {
      return true;
    }
    if (delegate instanceof CentralizedSampler) {
      for (SamplingRule rule : ((CentralizedSampler) delegate).rules()) {
        if (!rule.name().equals("Default") && rule.matches(request)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesAny(List<SamplingRule> rules, SamplingRequest request) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(request)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void requestEnded(SamplingDecision decision, boolean anomaly) {
    if (decision != EXCLUDED) {
      delegate.requestEnded(decision, anomaly);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}

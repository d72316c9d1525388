package dev.radiograph.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Sampling by local rules (the SDKs' {@code SAMPLING_RULES} file, or X-Ray's built-in default):
 * the first rule that matches the request's host, method and path decides; each rule samples its
 * {@code fixed_target} requests per second, then {@code rate} of the rest.
 */
public final class LocalSampler implements Sampler {
  /** X-Ray's built-in default rule: 1 request per second, then 5%. */
  public static final SamplingRule DEFAULT_RULE =
      SamplingRule.builder("Default").priority(10000).fixedTarget(1).rate(0.05).build();

  private final List<Entry> rules;
  private final Entry defaultEntry;
  private final LongSupplier clock;

  private LocalSampler(List<SamplingRule> rules, SamplingRule defaultRule, LongSupplier clock) {
    List<Entry> entries = new ArrayList<>(rules.size());
    for (SamplingRule rule : rules) {
      entries.add(new Entry(rule));
    }
    this.rules = List.copyOf(entries);
    this.defaultEntry = new Entry(Objects.requireNonNull(defaultRule, "defaultRule"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** X-Ray's default: no rules, the default rule only. */
  public static LocalSampler defaultRules() {
    return new LocalSampler(List.of(), DEFAULT_RULE, System::currentTimeMillis);
  }

  /** Rules tried in the given order, then {@code defaultRule}. */
  public static LocalSampler of(List<SamplingRule> rules, SamplingRule defaultRule) {
    return of(rules, defaultRule, System::currentTimeMillis);
  }

  /** As {@link #of(List, SamplingRule)}, with a clock in epoch milliseconds (for tests). */
  public static LocalSampler of(List<SamplingRule> rules, SamplingRule defaultRule, LongSupplier clock) {
    return new LocalSampler(rules, defaultRule, clock);
  }

  /**
   * The local rules the settings ask for: the {@code sampling-rules} file, else X-Ray's default.
   *
   * @throws IllegalArgumentException naming the file, the position and what is wrong
   */
  public static LocalSampler fromConfig(dev.radiograph.config.RadiographConfig config) {
    return config.samplingRules() != null ? fromFile(config.samplingRules()) : defaultRules();
  }

  /**
   * Loads a rules file in X-Ray's version 1 or 2 format from a path or a classpath resource.
   *
   * @throws IllegalArgumentException naming the file, the position and what is wrong
   */
  public static LocalSampler fromFile(String location) {
    return LocalRulesFile.load(location, System::currentTimeMillis);
  }

  /** The rules in the order they are tried, the default rule last. */
  public List<SamplingRule> rules() {
    List<SamplingRule> all = new ArrayList<>();
    for (Entry e : rules) {
      all.add(e.rule);
    }
    all.add(defaultEntry.rule);
    return all;
  }

  @Override
  public SamplingDecision sample(SamplingRequest request) {
    for (int i = 0; i < rules.size(); i++) {
      Entry entry = rules.get(i);
      if (entry.rule.matches(request)) {
        return entry.decide(clock.getAsLong());
      }
    }
    return defaultEntry.decide(clock.getAsLong());
  }

  private static final class Entry {
    final SamplingRule rule;
    final Reservoir reservoir = new Reservoir();
    final SamplingDecision sampled;
    final SamplingDecision notSampled;

    Entry(SamplingRule rule) {
      this.rule = rule;
      this.sampled = SamplingDecision.of(true, rule.name());
      this.notSampled = SamplingDecision.of(false, rule.name());
    }

    SamplingDecision decide(long nowMillis) {
      if (reservoir.take(nowMillis, rule.fixedTarget())) {
        return sampled;
      }
      double rate = rule.rate();
      return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate ? sampled : notSampled;
    }
  }
}

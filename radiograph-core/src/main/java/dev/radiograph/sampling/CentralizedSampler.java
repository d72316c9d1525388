package dev.radiograph.sampling;

import dev.radiograph.internal.DaemonAddress;
import dev.radiograph.internal.RateLimitedLogger;
import dev.radiograph.sampling.wire.SamplingApi;
import dev.radiograph.sampling.wire.SamplingApiCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * X-Ray's centralized sampling: rules and targets from the daemon's sampling proxy
 * ({@code POST /GetSamplingRules}, {@code POST /SamplingTargets} on the daemon's TCP address),
 * with the local rules as the fallback while there are none (not fetched yet, daemon down, or
 * not refreshed for an hour).
 *
 * <p>RATIONALE: the request path only reads a volatile list and counts with atomics. All I/O is
 * on one daemon thread, started on the first decision (an application that never traces never
 * opens a connection): rules every 5 minutes, targets every 10 seconds or at the target's
 * {@code Interval}, both with jitter so that a fleet does not poll in step.
 */
public final class CentralizedSampler implements Sampler {
  private static final Logger LOG = System.getLogger(CentralizedSampler.class.getName());
  private static final long RULES_INTERVAL_MILLIS = 300_000;
  private static final long RULES_RETRY_MILLIS = 30_000;
  private static final long TARGETS_INTERVAL_MILLIS = 10_000;
  private static final long RULES_MAX_AGE_MILLIS = 3_600_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
  private static final int READ_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_DOCUMENTS_PER_CALL = 25;

  private final String baseUrl;
  private final Sampler fallback;
  private final LongSupplier clock;
  private final String clientId;
  private final AtomicBoolean started = new AtomicBoolean();
  private final RateLimitedLogger pollLog = new RateLimitedLogger(LOG, 300_000);
  private volatile List<CentralizedRule> rules = List.of();
  private volatile long rulesFetchedAtMillis;
  private volatile boolean closed;
  private volatile Thread poller;

  /**
   * A sampler that asks the daemon at {@code daemonAddress} ({@code daemon-address}'s forms) and uses {@code fallback} until it has
   * rules. Polling starts on the first decision.
   */
  public CentralizedSampler(String daemonAddress, Sampler fallback) {
    this(DaemonAddress.parse(daemonAddress).tcpBaseUrl(), fallback, System::currentTimeMillis);
  }

  /** As above, with the proxy's base URL and a clock in epoch milliseconds (for tests). */
  public CentralizedSampler(String baseUrl, Sampler fallback, LongSupplier clock) {
    this(baseUrl, fallback, clock, true);
  }

  /** With {@code poll} false nothing polls by itself: tests drive {@link #pollRules()} and {@link #pollTargets()}. */
  CentralizedSampler(String baseUrl, Sampler fallback, LongSupplier clock, boolean poll) {
    if (!poll) {
      started.set(true);
    }
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.clock = Objects.requireNonNull(clock, "clock");
    byte[] id = new byte[12];
    new SecureRandom().nextBytes(id);
    StringBuilder hex = new StringBuilder(24);
    for (byte b : id) {
      hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    this.clientId = hex.toString();
  }

  @Override
  public SamplingDecision sample(SamplingRequest request) {
    if (!started.get()) {
      startPoller();
    }
    long now = clock.getAsLong();
    List<CentralizedRule> current = rules;
    if (current.isEmpty() || now - rulesFetchedAtMillis > RULES_MAX_AGE_MILLIS) {
      return fallback.sample(request);
    }
    for (int i = 0; i < current.size(); i++) {
      CentralizedRule rule = current.get(i);
      if (rule.rule().matches(request)) {
        return rule.sample(now, request.serviceName());
      }
    }
    return fallback.sample(request);
  }

  @Override
  public void requestEnded(SamplingDecision decision, boolean anomaly) {
    CentralizedRule owner = decision.owner;
    if (owner != null) {
      owner.requestEnded(decision.isSampled(), anomaly);
    } else {
      fallback.requestEnded(decision, anomaly);
    }
  }

  /** The 24-hex-digit client id reported with the statistics, random per sampler. */
  public String clientId() {
    return clientId;
  }

  /** The rules from the daemon, in the order they are tried; empty before the first fetch. */
  public List<SamplingRule> rules() {
    List<SamplingRule> result = new ArrayList<>();
    for (CentralizedRule rule : rules) {
      result.add(rule.rule());
    }
    return result;
  }

  private void startPoller() {
    if (closed || !started.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(this::runPoller, "radiograph-sampling");
    thread.setDaemon(true);
    poller = thread;
    thread.start();
  }

  private void runPoller() {
    long nextRules = 0;
    long nextTargets = Long.MAX_VALUE;
    while (!closed) {
      long now = System.currentTimeMillis();
      if (now >= nextRules) {
        boolean ok = pollRules();
        long base = ok ? RULES_INTERVAL_MILLIS : RULES_RETRY_MILLIS;
        nextRules = now + base + ThreadLocalRandom.current().nextLong(base / 100 + 1);
        if (ok && nextTargets == Long.MAX_VALUE) {
          nextTargets = now + TARGETS_INTERVAL_MILLIS;
        }
      }
      if (now >= nextTargets) {
        long interval = pollTargets();
        nextTargets = now + interval + ThreadLocalRandom.current().nextLong(100);
      }
      long sleep = Math.min(nextRules, nextTargets) - System.currentTimeMillis();
      if (sleep > 0) {
        LockSupport.parkNanos(this, sleep * 1_000_000);
      }
    }
  }

  /**
   * Fetches the rules now (the poller does this every 5 minutes). Returns false when the daemon
   * could not be reached or answered nonsense; the current rules are then kept.
   */
  public boolean pollRules() {
    try {
      Map<String, CentralizedRule> previous = new HashMap<>();
      for (CentralizedRule rule : rules) {
        previous.put(rule.rule().name(), rule);
      }
      List<SamplingRule> fetched = new ArrayList<>();
      String nextToken = null;
      int pages = 0;
      do {
        byte[] body = SamplingApiCodec.write(new SamplingApi.GetSamplingRulesRequest(nextToken));
        SamplingApi.GetSamplingRulesResponse response =
            SamplingApiCodec.readGetSamplingRulesResponse(post("/GetSamplingRules", body));
        for (SamplingApi.SamplingRuleRecord record : response.samplingRuleRecords()) {
          SamplingRule rule = toRule(record.samplingRule());
          if (rule != null) {
            fetched.add(rule);
          }
        }
        String token = response.nextToken();
        nextToken = token != null && !token.isEmpty() ? token : null;
      } while (nextToken != null && ++pages < 100);
      fetched.sort(SamplingRule.ORDER);
      List<CentralizedRule> updated = new ArrayList<>(fetched.size());
      for (SamplingRule rule : fetched) {
        CentralizedRule old = previous.get(rule.name());
        if (old != null && sameDefinition(old.rule(), rule)) {
          updated.add(old);
        } else {
          CentralizedRule fresh = new CentralizedRule(rule);
          if (old != null) {
            fresh.inheritTarget(old);
          }
          updated.add(fresh);
        }
      }
      rulesFetchedAtMillis = clock.getAsLong();
      rules = List.copyOf(updated);
      return true;
    } catch (IOException | RuntimeException e) {
      pollLog.log(Level.WARNING, "Radiograph: could not get sampling rules from the daemon at " + baseUrl
          + "; using local rules until it answers", e);
      return false;
    }
  }

  /**
   * Reports statistics and fetches targets now (the poller does this every 10 seconds). Returns
   * the interval to wait before the next call, in milliseconds.
   */
  public long pollTargets() {
    List<CentralizedRule> current = rules;
    if (current.isEmpty()) {
      return TARGETS_INTERVAL_MILLIS;
    }
    long interval = TARGETS_INTERVAL_MILLIS;
    for (int from = 0; from < current.size(); from += MAX_DOCUMENTS_PER_CALL) {
      List<CentralizedRule> batch = current.subList(from, Math.min(current.size(), from + MAX_DOCUMENTS_PER_CALL));
      long[][] statistics = new long[batch.size()][];
      long[][] boost = new long[batch.size()][];
      Instant timestamp = Instant.ofEpochSecond(clock.getAsLong() / 1000);
      List<SamplingApi.SamplingStatisticsDocument> statisticsDocuments = new ArrayList<>(batch.size());
      List<SamplingApi.SamplingBoostStatisticsDocument> boostDocuments = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        CentralizedRule rule = batch.get(i);
        statistics[i] = rule.takeStatistics();
        statisticsDocuments.add(new SamplingApi.SamplingStatisticsDocument(rule.rule().name(), clientId, timestamp,
            count(statistics[i][0]), count(statistics[i][1]), count(statistics[i][2])));
      }
      for (int i = 0; i < batch.size(); i++) {
        CentralizedRule rule = batch.get(i);
        if (!rule.rule().hasBoost()) {
          continue;
        }
        boost[i] = rule.takeBoostStatistics();
        boostDocuments.add(new SamplingApi.SamplingBoostStatisticsDocument(rule.rule().name(),
            rule.reportedServiceName(), timestamp, count(boost[i][1]), count(boost[i][0]), count(boost[i][2])));
      }
      byte[] body = SamplingApiCodec.write(new SamplingApi.GetSamplingTargetsRequest(statisticsDocuments, boostDocuments));
      try {
        SamplingApi.GetSamplingTargetsResponse response =
            SamplingApiCodec.readGetSamplingTargetsResponse(post("/SamplingTargets", body));
        interval = Math.min(interval, applyTargets(response, batch));
      } catch (IOException | RuntimeException e) {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).restoreStatistics(statistics[i], boost[i]);
        }
        pollLog.log(Level.WARNING, "Radiograph: could not get sampling targets from the daemon at " + baseUrl, e);
      }
    }
    return interval;
  }

  /** A count for the API, which takes 32-bit integers; ten seconds of requests never reach the cap. */
  private static Integer count(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private long applyTargets(SamplingApi.GetSamplingTargetsResponse response, List<CentralizedRule> batch) {
    Map<String, CentralizedRule> byName = new HashMap<>();
    for (CentralizedRule rule : batch) {
      byName.put(rule.rule().name(), rule);
    }
    long interval = TARGETS_INTERVAL_MILLIS;
    for (SamplingApi.SamplingTargetDocument target : response.samplingTargetDocuments()) {
      CentralizedRule rule = target.ruleName() == null ? null : byName.get(target.ruleName());
      if (rule == null) {
        continue;
      }
      SamplingApi.SamplingBoost boost = target.samplingBoost();
      Integer quota = target.reservoirQuota();
      rule.applyTarget(target.fixedRate(),
          quota == null ? null : quota.longValue(),
          epochSeconds(target.reservoirQuotaTtl()),
          boost == null ? null : boost.boostRate(),
          boost == null ? null : epochSeconds(boost.boostRateTtl()));
      Integer seconds = target.interval();
      if (seconds != null && seconds > 0) {
        interval = Math.min(interval, seconds * 1000L);
      }
    }
    Instant lastModification = response.lastRuleModification();
    if (lastModification != null && lastModification.isAfter(Instant.ofEpochMilli(rulesFetchedAtMillis))) {
      pollRules(); // the rules changed on the daemon: fetch them now
    }
    return interval;
  }

  private static Long epochSeconds(Instant instant) {
    return instant == null ? null : instant.getEpochSecond();
  }

  private static SamplingRule toRule(SamplingApi.SamplingRule r) {
    if (r == null) {
      return null;
    }
    Double rate = r.fixedRate();
    Integer reservoir = r.reservoirSize();
    if (r.ruleName() == null || (r.version() != null && r.version() != 1)
        || rate == null || rate < 0 || rate > 1 || reservoir == null || reservoir < 0 || r.priority() == null) {
      return null; // a rule this SDK cannot apply is skipped, as the other SDKs do
    }
    SamplingRule.Builder builder = SamplingRule.builder(r.ruleName())
        .priority(r.priority())
        .fixedTarget(reservoir)
        .rate(rate)
        .serviceName(text(r.serviceName()))
        .serviceType(text(r.serviceType()))
        .host(text(r.host()))
        .httpMethod(text(r.httpMethod()))
        .urlPath(text(r.urlPath()))
        .resourceArn(text(r.resourceArn()));
    if (r.attributes() != null) {
      builder.attributes(r.attributes());
    }
    SamplingApi.SamplingRateBoost boost = r.samplingRateBoost();
    if (boost != null) {
      Double maxRate = boost.maxRate();
      Integer cooldown = boost.cooldownWindowMinutes();
      if (maxRate != null && maxRate > 0 && maxRate <= 1) {
        builder.boost(maxRate, cooldown == null ? 1 : cooldown);
      }
    }
    return builder.build();
  }

  private static String text(String value) {
    return value != null ? value : "*";
  }

  private static boolean sameDefinition(SamplingRule a, SamplingRule b) {
    return a.priority() == b.priority()
        && a.fixedTarget() == b.fixedTarget()
        && a.rate() == b.rate()
        && a.boostMaxRate() == b.boostMaxRate()
        && Objects.equals(a.serviceName(), b.serviceName())
        && Objects.equals(a.serviceType(), b.serviceType())
        && Objects.equals(a.host(), b.host())
        && Objects.equals(a.httpMethod(), b.httpMethod())
        && Objects.equals(a.urlPath(), b.urlPath())
        && Objects.equals(a.resourceArn(), b.resourceArn())
        && a.attributes().equals(b.attributes());
  }

  private byte[] post(String path, byte[] body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl + path).openConnection();
    try {
      connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
      connection.setReadTimeout(READ_TIMEOUT_MILLIS);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IOException("HTTP " + status + " from " + path);
      }
      try (InputStream in = connection.getInputStream()) {
        return in.readNBytes(4 * 1024 * 1024);
      }
    } finally {
      connection.disconnect();
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread thread = poller;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
    fallback.close();
  }

  @Override
  public String toString() {
    return "CentralizedSampler{" + baseUrl + ", " + rules.size() + " rules}";
  }

}

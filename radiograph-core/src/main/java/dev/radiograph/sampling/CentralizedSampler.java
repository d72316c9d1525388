package dev.radiograph.sampling;

import dev.radiograph.emit.DaemonAddress;
import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import dev.radiograph.internal.RateLimitedLogger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.SecureRandom;
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
   * A sampler that asks the daemon at {@code address} and uses {@code fallback} until it has
   * rules. Polling starts on the first decision.
   */
  public CentralizedSampler(DaemonAddress address, Sampler fallback) {
    this(address.tcpBaseUrl(), fallback, System::currentTimeMillis);
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
        JsonWriter body = new JsonWriter(64).beginObject().name("NextToken");
        if (nextToken == null) {
          body.nullValue();
        } else {
          body.value(nextToken);
        }
        body.endObject();
        Map<String, Object> response = JsonReader.asObject(post("/GetSamplingRules", body.toByteArray()), "response");
        Object records = response.get("SamplingRuleRecords");
        if (records != null) {
          for (Object record : JsonReader.asArray(records, "SamplingRuleRecords")) {
            SamplingRule rule = toRule(JsonReader.asObject(record, "SamplingRuleRecord").get("SamplingRule"));
            if (rule != null) {
              fetched.add(rule);
            }
          }
        }
        Object token = response.get("NextToken");
        nextToken = token instanceof String && !((String) token).isEmpty() ? (String) token : null;
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
      long timestamp = clock.getAsLong() / 1000;
      JsonWriter body = new JsonWriter(1024).beginObject();
      body.name("SamplingStatisticsDocuments").beginArray();
      for (int i = 0; i < batch.size(); i++) {
        CentralizedRule rule = batch.get(i);
        statistics[i] = rule.takeStatistics();
        body.beginObject()
            .name("RuleName").value(rule.rule().name())
            .name("ClientID").value(clientId)
            .name("Timestamp").value(timestamp)
            .name("RequestCount").value(statistics[i][0])
            .name("SampledCount").value(statistics[i][1])
            .name("BorrowCount").value(statistics[i][2])
            .endObject();
      }
      body.endArray();
      body.name("SamplingBoostStatisticsDocuments").beginArray();
      for (int i = 0; i < batch.size(); i++) {
        CentralizedRule rule = batch.get(i);
        if (!rule.rule().hasBoost()) {
          continue;
        }
        boost[i] = rule.takeBoostStatistics();
        body.beginObject()
            .name("RuleName").value(rule.rule().name())
            .name("ServiceName").value(rule.reportedServiceName())
            .name("Timestamp").value(timestamp)
            .name("AnomalyCount").value(boost[i][1])
            .name("TotalCount").value(boost[i][0])
            .name("SampledAnomalyCount").value(boost[i][2])
            .endObject();
      }
      body.endArray().endObject();
      try {
        Map<String, Object> response = JsonReader.asObject(post("/SamplingTargets", body.toByteArray()), "response");
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

  private long applyTargets(Map<String, Object> response, List<CentralizedRule> batch) {
    Map<String, CentralizedRule> byName = new HashMap<>();
    for (CentralizedRule rule : batch) {
      byName.put(rule.rule().name(), rule);
    }
    long interval = TARGETS_INTERVAL_MILLIS;
    Object documents = response.get("SamplingTargetDocuments");
    if (documents != null) {
      for (Object item : JsonReader.asArray(documents, "SamplingTargetDocuments")) {
        Map<String, Object> target = JsonReader.asObject(item, "SamplingTargetDocument");
        CentralizedRule rule = byName.get(target.get("RuleName"));
        if (rule == null) {
          continue;
        }
        Double boostRate = null;
        Long boostTtl = null;
        Object boost = target.get("SamplingBoost");
        if (boost instanceof Map) {
          Map<?, ?> b = (Map<?, ?>) boost;
          boostRate = number(b.get("BoostRate"));
          Double ttl = number(b.get("BoostRateTTL"));
          boostTtl = ttl == null ? null : ttl.longValue();
        }
        Double quota = number(target.get("ReservoirQuota"));
        Double quotaTtl = number(target.get("ReservoirQuotaTTL"));
        rule.applyTarget(number(target.get("FixedRate")),
            quota == null ? null : quota.longValue(),
            quotaTtl == null ? null : quotaTtl.longValue(),
            boostRate, boostTtl);
        Double seconds = number(target.get("Interval"));
        if (seconds != null && seconds > 0) {
          interval = Math.min(interval, (long) (seconds * 1000));
        }
      }
    }
    Double lastModification = number(response.get("LastRuleModification"));
    if (lastModification != null && lastModification * 1000 > rulesFetchedAtMillis) {
      pollRules(); // the rules changed on the daemon: fetch them now
    }
    return interval;
  }

  private static Double number(Object value) {
    return value instanceof Number ? ((Number) value).doubleValue() : null;
  }

  private static SamplingRule toRule(Object value) {
    if (!(value instanceof Map)) {
      return null;
    }
    Map<?, ?> r = (Map<?, ?>) value;
    Object version = r.get("Version");
    Object name = r.get("RuleName");
    Double rate = number(r.get("FixedRate"));
    Double reservoir = number(r.get("ReservoirSize"));
    Double priority = number(r.get("Priority"));
    if (!(name instanceof String) || (version instanceof Number && ((Number) version).intValue() != 1)
        || rate == null || rate < 0 || rate > 1 || reservoir == null || reservoir < 0 || priority == null) {
      return null; // a rule this SDK cannot apply is skipped, as the other SDKs do
    }
    SamplingRule.Builder builder = SamplingRule.builder((String) name)
        .priority(priority.intValue())
        .fixedTarget((int) Math.min(reservoir, Integer.MAX_VALUE))
        .rate(rate)
        .serviceName(text(r.get("ServiceName")))
        .serviceType(text(r.get("ServiceType")))
        .host(text(r.get("Host")))
        .httpMethod(text(r.get("HTTPMethod")))
        .urlPath(text(r.get("URLPath")))
        .resourceArn(text(r.get("ResourceARN")));
    Object attributes = r.get("Attributes");
    if (attributes instanceof Map) {
      Map<String, String> patterns = new HashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) attributes).entrySet()) {
        if (e.getValue() instanceof String) {
          patterns.put(String.valueOf(e.getKey()), (String) e.getValue());
        }
      }
      builder.attributes(patterns);
    }
    Object boost = r.get("SamplingRateBoost");
    if (boost instanceof Map) {
      Double maxRate = number(((Map<?, ?>) boost).get("MaxRate"));
      Double cooldown = number(((Map<?, ?>) boost).get("CooldownWindowMinutes"));
      if (maxRate != null && maxRate > 0 && maxRate <= 1) {
        builder.boost(maxRate, cooldown == null ? 1 : cooldown.intValue());
      }
    }
    return builder.build();
  }

  private static String text(Object value) {
    return value instanceof String ? (String) value : "*";
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

  private Object post(String path, byte[] body) throws IOException {
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
        byte[] bytes = in.readNBytes(4 * 1024 * 1024);
        return JsonReader.parse(bytes, 0, bytes.length);
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

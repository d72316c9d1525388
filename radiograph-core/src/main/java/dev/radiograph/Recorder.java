package dev.radiograph;

import dev.radiograph.config.RadiographConfig;
import dev.radiograph.config.SettingKey;
import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.context.SegmentContext;
import dev.radiograph.context.SegmentContextProvider;
import dev.radiograph.emit.Emitter;
import dev.radiograph.emit.EmitterStats;
import dev.radiograph.emit.UdpEmitter;
import dev.radiograph.internal.RateLimitedLogger;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.Sampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import dev.radiograph.sampling.WildcardMatcher;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Begins and ends segments and subsegments, and holds what they need: the settings, the context
 * that knows the current entity, the sampler and the emitter. X-Ray's vocabulary, so that users
 * of the other X-Ray SDKs find their way:
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder().tracingName("orders").build();
 * Segment segment = recorder.beginSegment("orders", TraceHeader.parse(incomingHeader));
 * try {
 *   recorder.trace("load order", () -> repository.load(id));
 * } finally {
 *   recorder.endSegment();
 * }
 * }</pre>
 *
 * <p>Nothing here throws into the application, except {@link SegmentNotFoundException} under
 * {@link ContextMissingStrategy#RUNTIME_ERROR}, which the user asked for.
 */
public final class Recorder implements AutoCloseable {
  private static final Logger LOG = System.getLogger("dev.radiograph");
  private static final int MAX_LOGGED_CALL_SITES = 512;
  private static final StackWalker STACK_WALKER = StackWalker.getInstance();
  private static final Duration LAMBDA_FLUSH = Duration.ofMillis(200);

  private final RadiographConfig config;
  private final SegmentContext context;
  private final Sampler sampler;
  private final Emitter emitter;
  private final DocumentSender documents;
  private final int streamingThreshold;
  private final ContextMissingStrategy contextMissing;
  private final boolean enabled;
  private final Set<String> loggedCallSites = ConcurrentHashMap.newKeySet();
  private final WalkBudget missingWalks = new WalkBudget();
  private final RateLimitedLogger samplerLog = new RateLimitedLogger(LOG, 60_000);
  private final NonRecordingSegment missingSegment;
  private final AnomalyCapture anomalyCapture; // null unless capture-anomalies
  private final LambdaFacades lambda; // null unless running in AWS Lambda
  private final PluginEnvironment plugins;

  private Recorder(Builder builder, RadiographConfig config) {
    this.config = config;
    this.enabled = config.enabled();
    this.context = builder.context != null ? builder.context : SegmentContextProvider.defaultContext();
    this.sampler = builder.sampler != null ? builder.sampler : defaultSampler(config);
    this.anomalyCapture = config.captureAnomalies() && enabled
        ? new AnomalyCapture(config.anomalyLatencyThreshold())
        : null;
    this.emitter = builder.emitter != null
        ? builder.emitter
        : enabled ? new UdpEmitter(config.daemonAddress()) : new DiscardingEmitter();
    this.documents = new DocumentSender(emitter, Emitter.MAX_DOCUMENT_BYTES);
    this.streamingThreshold = config.streamingThreshold();
    this.contextMissing = config.contextMissing();
    this.plugins = enabled ? pluginEnvironment(config, builder.plugins) : PluginEnvironment.NONE;
    this.lambda = enabled ? LambdaFacades.detect(this, builder.environment != null ? builder.environment : System.getenv()) : null;
    // What currentSegment() answers when there is none: records nothing, propagates nothing useful.
    this.missingSegment = new NonRecordingSegment(this, TraceHeader.empty(), null);
  }

  /**
   * Starts collecting the {@code plugins}' metadata in the background; unknown names fail the
   * build with the setting named.
   */
  private static PluginEnvironment pluginEnvironment(RadiographConfig config,
      java.util.List<dev.radiograph.plugins.Plugin> given) {
    java.util.List<dev.radiograph.plugins.Plugin> resolved = new java.util.ArrayList<>(given);
    try {
      resolved.addAll(dev.radiograph.plugins.Plugins.fromNames(config.plugins()));
    } catch (IllegalArgumentException e) {
      throw new dev.radiograph.config.InvalidSettingException(SettingKey.PLUGINS,
          String.join(",", config.plugins()), config.sourceOf(SettingKey.PLUGINS), e.getMessage());
    }
    if (resolved.isEmpty()) {
      return PluginEnvironment.NONE;
    }
    return new PluginEnvironment(
        dev.radiograph.plugins.Plugins.collectAllAsync(resolved, dev.radiograph.plugins.Plugins.DEFAULT_BUDGET));
  }

  /** The plugins' data for a segment beginning now, or null (none, or not arrived yet). */
  PluginEnvironment.Entries pluginEntries() {
    return plugins.entries();
  }

  /** The sampler the settings ask for; the rules file is read only when sampling is on. */
  private static Sampler defaultSampler(RadiographConfig config) {
    return config.sampling()
        ? Sampler.fromConfig(config, LocalSampler.fromConfig(config))
        : Sampler.alwaysSample();
  }

  /** A builder; settings not given fall back to environment, system properties and defaults. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- segments

  /** Begins a segment for a new trace and makes it current. */
  public Segment beginSegment(String name) {
    return beginSegment(name, TraceHeader.empty(), null);
  }

  /**
   * Begins a segment that continues the trace in {@code header} (a new trace when the header
   * has no root) and makes it current. The header's sampling decision is followed; without one
   * ({@code Sampled=?} or absent) the sampler decides.
   */
  public Segment beginSegment(String name, TraceHeader header) {
    return beginSegment(name, header, null);
  }

  /**
   * Begins a segment as {@link #beginSegment(String, TraceHeader)}, giving the sampler the
   * request's details (host, method, path) when it has to decide. For integrations.
   */
  public Segment beginSegment(String name, TraceHeader header, SamplingRequest request) {
    if (header == null) {
      header = TraceHeader.empty();
    }
    TraceId root = header.root();
    Segment segment;
    if (lambda != null) {
      // In Lambda the runtime owns the segment: never create one (subsegments use the facade).
      EntityRules.logOnce("lambda", "beginSegment",
          "Radiograph: beginSegment() in AWS Lambda records nothing; begin subsegments instead, they"
              + " attach to the invocation's segment");
      Segment ignored = root != null
          ? new NonRecordingSegment(this, header, null, true)
          : new NonRecordingSegment(this, header, null);
      return ignored;
    }
    if (!enabled) {
      // Disabled: record nothing, but pass the upstream trace through untouched.
      segment = root != null
          ? new NonRecordingSegment(this, header, null, true)
          : new NonRecordingSegment(this, header, null);
    } else {
      SamplingDecision decision = null;
      boolean sampled;
      TraceHeader.Sampled upstream = root != null ? header.sampled() : TraceHeader.Sampled.UNKNOWN;
      if (upstream == TraceHeader.Sampled.SAMPLED) {
        sampled = true;
      } else if (upstream == TraceHeader.Sampled.NOT_SAMPLED) {
        sampled = false;
      } else {
        decision = decide(name, request);
        sampled = decision.isSampled();
      }
      if (sampled) {
        segment = new RecordingSegment(this, name, root != null ? root : TraceId.create(), header, decision, false);
      } else if (anomalyCapture != null && anomalyCapture.reserve()) {
        segment = new RecordingSegment(this, name, root != null ? root : TraceId.create(), header, decision, true);
      } else if (root != null) {
        segment = new NonRecordingSegment(this, header, decision, false);
      } else {
        segment = new NonRecordingSegment(this, header, decision);
      }
    }
    context.set(segment);
    return segment;
  }

  /**
   * The {@code X-Amzn-Trace-Id} a service returns in its response: the root always, and the
   * sampling decision when the caller asked for it with {@code Sampled=?}.
   */
  public TraceHeader responseTraceHeader(Segment segment, TraceHeader incoming) {
    TraceHeader.Builder response = TraceHeader.builder().root(segment.traceId());
    if (incoming != null && incoming.sampled() == TraceHeader.Sampled.REQUESTED) {
      response.sampled(segment.isSampled() ? TraceHeader.Sampled.SAMPLED : TraceHeader.Sampled.NOT_SAMPLED);
    }
    return response.build();
  }

  /**
   * The segment name for a request to {@code host}: the host itself when it matches the
   * {@code dynamic-naming} pattern, else the {@code tracing-name} (else the host, else
   * {@code unknown}).
   */
  public String segmentName(String host) {
    String pattern = config.dynamicNaming();
    if (pattern != null && host != null && !host.isEmpty() && WildcardMatcher.matches(pattern, host)) {
      return host;
    }
    String tracingName = config.tracingName();
    if (tracingName != null) {
      return tracingName;
    }
    return host != null && !host.isEmpty() ? host : EntityRules.DEFAULT_NAME;
  }

  private SamplingDecision decide(String name, SamplingRequest request) {
    try {
      SamplingDecision decision = sampler.sample(request != null ? request : SamplingRequest.forService(name));
      return decision != null ? decision : SamplingDecision.NOT_SAMPLED;
    } catch (RuntimeException e) {
      samplerLog.log(Level.WARNING, "Radiograph: the sampler failed; the request is not sampled", e);
      return SamplingDecision.NOT_SAMPLED;
    }
  }

  /** Ends the current segment (and clears the context). */
  public void endSegment() {
    Entity current = current();
    if (current == null) {
      contextMissing("endSegment()");
      return;
    }
    endSegment(current.segment());
  }

  /** Ends {@code segment}; the context is cleared if it holds this segment's tree. */
  void endSegment(Segment segment) {
    Entity current = current();
    if (current != null && current.segment() == segment) {
      context.set(null);
    }
    if (segment instanceof NonRecordingSegment) {
      NonRecordingSegment nonRecording = (NonRecordingSegment) segment;
      if (nonRecording.decision() != null && nonRecording.markEnded()) {
        reportOutcome(nonRecording.decision(), nonRecording.isAnomaly());
      }
      return;
    }
    if (!(segment instanceof RecordingSegment)) {
      return;
    }
    RecordingSegment recording = (RecordingSegment) segment;
    if (!recording.markEnded()) {
      return;
    }
    if (recording.decision() != null) {
      reportOutcome(recording.decision(), isAnomaly(recording));
    }
    if (recording.entityEnded()) {
      emitOnce(recording);
    }
  }

  private static boolean isAnomaly(RecordingSegment segment) {
    return segment.isFault() || segment.isError() || segment.isThrottle();
  }

  private void reportOutcome(SamplingDecision decision, boolean anomaly) {
    try {
      sampler.requestEnded(decision, anomaly);
    } catch (RuntimeException e) {
      samplerLog.log(Level.WARNING, "Radiograph: the sampler failed to count a request", e);
    }
  }

  private void emitOnce(RecordingSegment segment) {
    if (!segment.markEmitted()) {
      return;
    }
    if (segment.isBuffered()) {
      // Keep-on-anomaly: send only what faulted, errored, was throttled or was slow.
      boolean keep = anomalyCapture.keep(isAnomaly(segment), segment.durationMicros());
      anomalyCapture.release(segment.closeBuffer());
      if (!keep) {
        return;
      }
    }
    documents.emitSegment(segment);
  }

  // ---------------------------------------------------------------- subsegments

  /**
   * Begins a subsegment of the current entity and makes it current. With no current entity,
   * applies the context-missing strategy and returns a subsegment that records nothing.
   */
  public Subsegment beginSubsegment(String name) {
    Entity parent = current();
    if (parent instanceof RecordingEntity) {
      RecordingEntity recordingParent = (RecordingEntity) parent;
      RecordingSegment segment = recordingParent.segment();
      if (segment.isBuffered() && !anomalyCapture.reserveSubsegment(segment)) {
        // Bound reached: not kept, but made current so that begin/end pairs still balance.
        NonRecordingSubsegment refused = new NonRecordingSubsegment(recordingParent);
        context.set(refused);
        return refused;
      }
      RecordingSubsegment subsegment = new RecordingSubsegment(this, name, recordingParent);
      recordingParent.segment().subsegmentBegun();
      recordingParent.addChild(subsegment);
      context.set(subsegment);
      return subsegment;
    }
    if (parent instanceof NonRecordingSegment) {
      return ((NonRecordingSegment) parent).child();
    }
    if (parent instanceof NonRecordingSubsegment) {
      // Only a refused (bounded) subsegment is ever current: nest another refused handle.
      NonRecordingSubsegment refused = new NonRecordingSubsegment(parent);
      context.set(refused);
      return refused;
    }
    contextMissing("beginSubsegment(\"" + name + "\")");
    return missingSegment.child();
  }

  /** Ends the current subsegment; its parent becomes current. */
  public void endSubsegment() {
    Entity current = current();
    // Concrete classes first: a failing interface check costs ~15 ns on JDK 17, and the
    // unsampled path (current is the segment) is the one that must cost almost nothing.
    if (current instanceof NonRecordingSegment) {
      return; // unsampled: subsegments were never made current
    } else if (current instanceof RecordingSubsegment || current instanceof Subsegment) {
      endSubsegment((Subsegment) current);
    } else {
      contextMissing("endSubsegment()");
    }
  }

  /** Ends {@code subsegment}; if it is current, its parent becomes current. */
  void endSubsegment(Subsegment subsegment) {
    if (!(subsegment instanceof RecordingSubsegment) && subsegment instanceof NonRecordingSubsegment) {
      if (context.current() == subsegment) {
        context.set(subsegment.parent());
      }
      return;
    }
    if (!(subsegment instanceof RecordingSubsegment)) {
      return;
    }
    RecordingSubsegment recording = (RecordingSubsegment) subsegment;
    if (!recording.markEnded()) {
      return;
    }
    if (context.current() == recording) {
      context.set(recording.parent());
    }
    RecordingSegment segment = recording.segment();
    RecordingEntity.ChildEnd action = recording.parent().childEnded(recording);
    if (action != RecordingEntity.ChildEnd.NORMAL) {
      // The parent was already sent (streamed, or in the segment's document): this subsegment
      // ended late and goes out on its own unless the parent still carries it.
      if (action == RecordingEntity.ChildEnd.SEND && !segment.isBuffered()) {
        documents.emitSubsegment(recording);
        if (lambda != null) {
          // Lambda freezes the process when the handler returns: send now, not on the next thaw.
          emitter.flush(LAMBDA_FLUSH);
        }
      }
      if (segment.entityEnded()) {
        emitOnce(segment);
      }
      return;
    }
    if (segment.entityEnded()) {
      emitOnce(segment);
    } else if (!segment.isBuffered() && segment.finishedSubsegmentHeld() > streamingThreshold) {
      stream(segment);
    }
  }

  /**
   * Sends completed subtrees on their own so that a segment with many subsegments never holds
   * them all. One thread streams a segment at a time; a subtree is detached (under its parent's
   * lock, and only while the segment has not been sent) before it is sent, so each subsegment is
   * sent exactly once.
   */
  private void stream(RecordingSegment segment) {
    if (!segment.tryStartStreaming()) {
      return;
    }
    try {
      streamChildren(segment, segment);
    } finally {
      segment.endStreaming();
    }
  }

  private void streamChildren(RecordingSegment segment, RecordingEntity parent) {
    for (RecordingSubsegment child : parent.childrenSnapshot()) {
      if (child.isSubtreeComplete()) {
        int size = child.subtreeSize();
        if (parent.detachChildForStreaming(child, segment)) {
          segment.finishedSubsegmentsReleased(size);
          documents.emitSubsegment(child);
        }
      } else {
        streamChildren(segment, child);
      }
    }
  }

  // ---------------------------------------------------------------- lambda form

  /**
   * Runs {@code work} in a subsegment named {@code name}: an exception is recorded on the
   * subsegment (and rethrown unchanged), and the subsegment ends in every case.
   */
  public <T, E extends Throwable> T trace(String name, TracedSupplier<T, E> work) throws E {
    return trace(name, (TracedFunction<T, E>) subsegment -> work.get());
  }

  /** Runs {@code work} in a subsegment named {@code name}; see {@link #trace(String, TracedSupplier)}. */
  public <E extends Throwable> void trace(String name, TracedRunnable<E> work) throws E {
    trace(name, (TracedFunction<Void, E>) subsegment -> {
      work.run();
      return null;
    });
  }

  /**
   * Runs {@code work} in a subsegment it receives (to annotate it), returning its value. As with
   * X-Ray's {@code createSubsegment}, a one-argument lambda whose body is a single expression can
   * match both this and the {@link TracedConsumer} form; give it a block body to choose.
   */
  @SuppressWarnings("overloads")
  public <T, E extends Throwable> T trace(String name, TracedFunction<T, E> work) throws E {
    Subsegment subsegment = beginSubsegment(name);
    try {
      return work.apply(subsegment);
    } catch (Throwable e) {
      subsegment.addException(e);
      throw e;
    } finally {
      subsegment.close();
    }
  }

  /** Runs {@code work} in a subsegment it receives (to annotate it). */
  @SuppressWarnings("overloads")
  public <E extends Throwable> void trace(String name, TracedConsumer<E> work) throws E {
    trace(name, (TracedFunction<Void, E>) subsegment -> {
      work.accept(subsegment);
      return null;
    });
  }

  // ---------------------------------------------------------------- context

  /**
   * The current entity, or {@code null} when there is none. Does not apply the context-missing
   * strategy: this is the question "is this code traced?".
   */
  public Entity currentEntity() {
    return current();
  }

  /**
   * The current segment. With none, applies the context-missing strategy and returns a segment
   * that records nothing, so that {@code currentSegment().putAnnotation(...)} is always safe.
   */
  public Segment currentSegment() {
    Entity current = current();
    if (current == null) {
      contextMissing("currentSegment()");
      return missingSegment;
    }
    return current.segment();
  }

  /**
   * The current subsegment. With none, applies the context-missing strategy and returns a
   * subsegment that records nothing. In an unsampled request, that non-recording handle is the
   * answer and nothing is reported.
   */
  public Subsegment currentSubsegment() {
    Entity current = current();
    if (current instanceof RecordingSubsegment) {
      return (RecordingSubsegment) current;
    }
    if (current instanceof NonRecordingSegment) {
      return ((NonRecordingSegment) current).child();
    }
    if (current instanceof Subsegment) {
      return (Subsegment) current;
    }
    contextMissing("currentSubsegment()");
    return missingSegment.child();
  }

  /** Makes {@code entity} current on this thread (or context); {@code null} clears. */
  public void setCurrentEntity(Entity entity) {
    context.set(entity);
  }

  /** Captures the current entity, to make it current again on another thread or callback. */
  public ContextSnapshot captureContext() {
    return new ContextSnapshot(context, current());
  }

  /** The context this recorder keeps the current entity in. */
  public SegmentContext segmentContext() {
    return context;
  }

  private void contextMissing(String operation) {
    switch (contextMissing) {
      case RUNTIME_ERROR:
        throw new SegmentNotFoundException(
            "Radiograph: " + operation + " with no segment in progress (context-missing=RUNTIME_ERROR)");
      case LOG_ERROR:
        if (!missingWalks.tryAcquire()) {
          break; // a flood of untraced calls: don't pay for a stack walk on each
        }
        String callSite = callSite();
        if (loggedCallSites.size() < MAX_LOGGED_CALL_SITES && loggedCallSites.add(callSite)) {
          LOG.log(Level.ERROR, "Radiograph: " + operation + " called from " + callSite
              + " with no segment in progress; the work is not traced. Begin a segment first, or"
              + " carry the context into this thread (ContextSnapshot, TracedExecutors). Logged once"
              + " per class; set context-missing=IGNORE_ERROR to silence.");
        }
        break;
      default:
        break;
    }
  }

  /**
   * The current entity: the context's, or in Lambda the invocation's facade when the context
   * holds nothing of this invocation (an entity left from an earlier invocation is ignored).
   */
  private Entity current() {
    Entity entity = context.current();
    if (lambda == null) {
      return entity;
    }
    Segment facade = lambda.facade();
    if (facade != null && (entity == null || entity.segment() != facade)) {
      return facade;
    }
    return entity;
  }

  /** The first class outside Radiograph's core on the stack: the code that made the call. */
  private static String callSite() {
    return STACK_WALKER.walk(frames -> frames
        .map(StackWalker.StackFrame::getClassName)
        .filter(name -> !isCoreClass(name))
        .findFirst()
        .orElse("unknown"));
  }

  /** Classes a call passes through on its way to the recorder: never the call site. */
  private static final Set<String> PASS_THROUGH = Set.of(
      Recorder.class.getName(), Radiograph.class.getName(), RecordingEntity.class.getName(),
      RecordingSegment.class.getName(), RecordingSubsegment.class.getName(),
      NonRecordingSegment.class.getName(), NonRecordingSubsegment.class.getName(),
      ContextSnapshot.class.getName(), dev.radiograph.context.TracedExecutors.class.getName());

  /** Packages of Radiograph's own integrations: a call through them is not the user's call site. */
  private static final String[] PASS_THROUGH_PACKAGES = {
    "dev.radiograph.context.", "dev.radiograph.http.", "dev.radiograph.jdbc.", "dev.radiograph.servlet.",
    "dev.radiograph.spring.", "dev.radiograph.javalin.", "dev.radiograph.vertx.", "dev.radiograph.httpclient.",
    "jdk.proxy", "com.sun.proxy."
  };

  private static boolean isCoreClass(String className) {
    int nested = className.indexOf('$');
    if (PASS_THROUGH.contains(nested < 0 ? className : className.substring(0, nested))) {
      return true;
    }
    for (String prefix : PASS_THROUGH_PACKAGES) {
      if (className.startsWith(prefix) && !className.endsWith("Test")) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- settings and lifecycle

  /** The resolved settings. */
  public RadiographConfig config() {
    return config;
  }

  /** The {@code tracing-name} setting, or {@code null} when not set. */
  public String tracingName() {
    return config.tracingName();
  }

  /** Whether the SDK records (false when {@code AWS_XRAY_SDK_ENABLED=false}). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Counters of the emitter: sent, dropped, failed. */
  public EmitterStats emitterStats() {
    return emitter.stats();
  }

  /** Documents that had to be shrunk to fit a datagram. */
  public long truncatedDocuments() {
    return documents.truncatedCount();
  }

  /** Waits up to {@code timeout} until every finished document has been sent. */
  public boolean flush(Duration timeout) {
    return emitter.flush(timeout);
  }

  /** The JSON document an entity would be sent as now, for diagnostics and tests. */
  public String toJson(Entity entity) {
    if (!(entity instanceof RecordingEntity)) {
      return null;
    }
    return documents.toJson((RecordingEntity) entity);
  }

  /** Counters of keep-on-anomaly capture, or {@code null} when {@code capture-anomalies} is off. */
  public AnomalyCapture.Stats anomalyCaptureStats() {
    return anomalyCapture == null ? null : anomalyCapture.stats();
  }

  /** The sampler deciding for new traces. */
  public Sampler sampler() {
    return sampler;
  }

  /** Stops the sampling poller, sends what is queued and releases the emitter. */
  @Override
  public void close() {
    try {
      sampler.close();
    } finally {
      emitter.close();
    }
  }

  /**
   * At most {@value #PER_SECOND} stack walks a second for context-missing call sites: enough to
   * find each calling class quickly, cheap when untraced code calls in a loop.
   */
  private static final class WalkBudget {
    static final int PER_SECOND = 64;
    private final java.util.concurrent.atomic.AtomicLong secondAndCount = new java.util.concurrent.atomic.AtomicLong();

    boolean tryAcquire() {
      long second = System.nanoTime() / 1_000_000_000L;
      while (true) {
        long current = secondAndCount.get();
        long next;
        if ((current >>> 16) != second) {
          next = (second << 16) | 1;
        } else if ((current & 0xFFFF) < PER_SECOND) {
          next = current + 1;
        } else {
          return false;
        }
        if (secondAndCount.compareAndSet(current, next)) {
          return true;
        }
      }
    }
  }

  /** An emitter for a disabled SDK: nothing is ever sent. */
  private static final class DiscardingEmitter implements Emitter {
    @Override
    public boolean send(byte[] document) {
      return false;
    }

    @Override
    public EmitterStats stats() {
      return new EmitterStats(0, 0, 0, 0);
    }

    @Override
    public boolean flush(Duration timeout) {
      return true;
    }

    @Override
    public void close() {}
  }

  /**
   * Builds a {@link Recorder}. Values given here are the application's settings: an environment
   * variable or a JVM system property for the same key still wins (see {@link RadiographConfig}).
   */
  public static final class Builder {
    private final Map<String, String> settings = new HashMap<>();
    private Map<String, String> environment;
    private Properties systemProperties;
    private SegmentContext context;
    private Sampler sampler;
    private Emitter emitter;
    private final java.util.List<dev.radiograph.plugins.Plugin> plugins = new java.util.ArrayList<>();

    private Builder() {}

    /**
     * Adds a plugin instance (your own, or a built-in one configured in code), besides those the
     * {@code plugins} setting names.
     */
    public Builder plugin(dev.radiograph.plugins.Plugin plugin) {
      plugins.add(Objects.requireNonNull(plugin, "plugin"));
      return this;
    }

    /** The service's name, used by integrations to name segments ({@code tracing-name}). */
    public Builder tracingName(String tracingName) {
      return setting(SettingKey.TRACING_NAME, tracingName);
    }

    /** {@code host:port} or {@code tcp:host:port udp:host:port} ({@code daemon-address}). */
    public Builder daemonAddress(String daemonAddress) {
      return setting(SettingKey.DAEMON_ADDRESS, daemonAddress);
    }

    /** What to do when there is no current segment ({@code context-missing}). */
    public Builder contextMissing(ContextMissingStrategy strategy) {
      return setting(SettingKey.CONTEXT_MISSING, Objects.requireNonNull(strategy, "strategy").name());
    }

    /** Finished subsegments a segment holds before sending them on their own. */
    public Builder streamingThreshold(int threshold) {
      return setting(SettingKey.STREAMING_THRESHOLD, Integer.toString(threshold));
    }

    /** False records every request ({@code sampling}). */
    public Builder sampling(boolean sampling) {
      return setting(SettingKey.SAMPLING, Boolean.toString(sampling));
    }

    /** False turns recording off; headers still propagate ({@code enabled}). */
    public Builder enabled(boolean enabled) {
      return setting(SettingKey.ENABLED, Boolean.toString(enabled));
    }

    /** Sets any setting by key. */
    public Builder setting(SettingKey key, String value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        settings.remove(key.key());
      } else {
        settings.put(key.key(), value);
      }
      return this;
    }

    /**
     * Adds application settings keyed by {@link SettingKey#key()} ({@code daemon-address}) or
     * property name ({@code radiograph.daemon-address}); other keys are ignored.
     */
    public Builder settings(Map<String, String> applicationSettings) {
      for (Map.Entry<String, String> e : applicationSettings.entrySet()) {
        String key = e.getKey();
        if (key.startsWith(SettingKey.PROPERTY_PREFIX)) {
          key = key.substring(SettingKey.PROPERTY_PREFIX.length());
        }
        SettingKey known = SettingKey.forKey(key);
        if (known != null) {
          setting(known, e.getValue());
        }
      }
      return this;
    }

    /** Reads environment variables from {@code environment} instead of the process's. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Reads system properties from {@code properties} instead of the JVM's. */
    public Builder systemProperties(Properties properties) {
      Properties copy = new Properties();
      copy.putAll(properties);
      this.systemProperties = copy;
      return this;
    }

    /**
     * Keeps the current entity somewhere else than the default: by default the context of the
     * first {@link SegmentContextProvider} on the class path (radiograph-vertx provides the Vert.x
     * context), else a thread local.
     */
    public Builder segmentContext(SegmentContext context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Decides sampling instead of the settings' sampler. */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /** Sends documents somewhere else than the daemon address's UDP emitter. */
    public Builder emitter(Emitter emitter) {
      this.emitter = Objects.requireNonNull(emitter, "emitter");
      return this;
    }

    /**
     * Resolves the settings and builds the recorder.
     *
     * @throws dev.radiograph.config.InvalidSettingException naming the key and the bad value
     */
    public Recorder build() {
      RadiographConfig config = RadiographConfig.resolve(
          settings,
          environment != null ? environment : System.getenv(),
          systemProperties != null ? systemProperties : System.getProperties());
      return new Recorder(this, config);
    }
  }
}

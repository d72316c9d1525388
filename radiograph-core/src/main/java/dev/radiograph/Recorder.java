package dev.radiograph;

import dev.radiograph.config.RadiographConfig;
import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.context.SegmentContext;
import dev.radiograph.emit.Emitter;
import dev.radiograph.emit.EmitterStats;
import dev.radiograph.sampling.LocalSampler;
import dev.radiograph.sampling.Sampler;
import dev.radiograph.sampling.SamplingDecision;
import dev.radiograph.sampling.SamplingRequest;
import dev.radiograph.internal.WildcardMatcher;
import java.time.Duration;

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
  private final RadiographConfig config;
  private final SegmentContext context; // the given context, wrapped to report changes when there are listeners
  private final SegmentContext givenContext;
  private final GuardedSampler sampler;
  private final Emitter emitter;
  private final EntityLifecycle lifecycle;
  private final ContextMissingReporter contextMissing;
  private final boolean enabled;
  private final NonRecordingSegment missingSegment;
  private final AnomalyCapture anomalyCapture; // null unless capture-anomalies
  private final LambdaFacades lambda; // null unless running in AWS Lambda
  private final PluginEnvironment plugins;
  private final EntityListeners listeners; // null when there are none: one check per operation

  Recorder(RadiographConfig config, RecorderBuilder builder) {
    this.config = config;
    this.enabled = config.enabled();
    this.givenContext = builder.contextOrDefault();
    this.listeners = EntityListeners.of(builder.allListeners(config));
    this.context = listeners != null ? new ListenedSegmentContext(givenContext, listeners) : givenContext;
    Sampler chosen = builder.samplerOrNull();
    this.sampler = new GuardedSampler(chosen != null ? chosen : defaultSampler(config));
    this.anomalyCapture = config.captureAnomalies() && enabled
        ? new AnomalyCapture(config.anomalyLatencyThreshold())
        : null;
    Emitter given = builder.emitterOrNull();
    this.emitter = given != null ? given : enabled ? defaultEmitter(config) : Emitter.discarding();
    this.contextMissing = new ContextMissingReporter(config.contextMissing());
    this.plugins = enabled ? PluginEnvironment.fromConfig(config, builder.plugins()) : PluginEnvironment.NONE;
    this.lambda = enabled ? LambdaFacades.detect(this, builder.environmentOrProcess()) : null;
    this.lifecycle = new EntityLifecycle(emitter, sampler, anomalyCapture, config.streamingThreshold(), lambda != null);
    // What currentSegment() answers when there is none: records nothing, propagates nothing useful.
    this.missingSegment = new NonRecordingSegment(this, TraceHeader.empty(), null, false);
    if (listeners != null) {
      listeners.started(this); // last: the recorder is complete
    }
  }

  /** The emitter the {@code exporter} setting chooses. */
  private static Emitter defaultEmitter(RadiographConfig config) {
    if (RadiographConfig.EXPORTER_OTLP.equals(config.exporter())) {
      return Emitter.otlp(config.otlpTracesEndpoint(), config.otlpHeaders(), config.tracingName());
    }
    return Emitter.udp(config.daemonAddress().toString());
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
  public static RecorderBuilder builder() {
    return new RecorderBuilder();
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
    Segment segment;
    if (lambda != null) {
      // In Lambda the runtime owns the segment: never create one (subsegments use the facade).
      EntityRules.logOnce("lambda", "beginSegment",
          "Radiograph: beginSegment() in AWS Lambda records nothing; begin subsegments instead, they"
              + " attach to the invocation's segment");
      return new NonRecordingSegment(this, header, null, true);
    }
    if (!enabled) {
      // Disabled: record nothing, but pass the upstream trace through untouched.
      segment = new NonRecordingSegment(this, header, null, true);
    } else {
      TraceId root = header.root();
      SamplingDecision decision = null;
      boolean sampled;
      TraceHeader.Sampled upstream = root != null ? header.sampled() : TraceHeader.Sampled.UNKNOWN;
      if (upstream == TraceHeader.Sampled.SAMPLED) {
        sampled = true;
      } else if (upstream == TraceHeader.Sampled.NOT_SAMPLED) {
        sampled = false;
      } else {
        decision = sampler.decide(name, request);
        sampled = decision.isSampled();
      }
      if (sampled) {
        segment = new RecordingSegment(this, name, root != null ? root : TraceId.create(), header, decision, false);
      } else if (anomalyCapture != null && anomalyCapture.reserve()) {
        segment = new RecordingSegment(this, name, root != null ? root : TraceId.create(), header, decision, true);
      } else {
        segment = new NonRecordingSegment(this, header, decision, false);
      }
    }
    context.set(segment);
    if (listeners != null) {
      listeners.begun(segment);
    }
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

  /** Ends the current segment (and clears the context). */
  public void endSegment() {
    Entity current = current();
    if (current == null) {
      contextMissing.report("endSegment()");
      return;
    }
    endSegment(current.segment(), current);
  }

  /** Ends {@code segment}; the context is cleared if it holds this segment's tree. */
  void endSegment(Segment segment) {
    endSegment(segment, current());
  }

  /** {@link #endSegment(Segment)}, given what is current (read once per call: a thread-local lookup). */
  private void endSegment(Segment segment, Entity current) {
    if (current != null && current.segment() == segment) {
      context.set(null);
    }
    if (segment instanceof NonRecordingSegment) {
      NonRecordingSegment nonRecording = (NonRecordingSegment) segment;
      if (nonRecording.markEnded()) {
        lifecycle.ended(nonRecording);
        if (listeners != null) {
          listeners.ended(nonRecording);
        }
      }
      return;
    }
    RecordingSegment recording = (RecordingSegment) segment;
    if (recording.markEnded()) {
      if (listeners != null) {
        listeners.ended(recording);
      }
      lifecycle.ended(recording);
    }
  }

  // ---------------------------------------------------------------- subsegments

  /**
   * Begins a subsegment of the current entity and makes it current. With no current entity,
   * applies the context-missing strategy and returns a subsegment that records nothing.
   */
  public Subsegment beginSubsegment(String name) {
    Entity parent = current();
    // Concrete classes only (the hierarchy is sealed): a failing interface check costs ~15 ns on
    // JDK 17, and the unsampled path (the parent is the segment) must cost almost nothing.
    if (parent instanceof NonRecordingSegment) {
      return ((NonRecordingSegment) parent).child();
    }
    if (parent instanceof RecordingSegment || parent instanceof RecordingSubsegment) {
      RecordingEntity recordingParent = (RecordingEntity) parent;
      RecordingSegment segment = recordingParent.segment();
      if (segment.isBuffered() && !anomalyCapture.reserveSubsegment(segment)) {
        // Bound reached: not kept, but made current so that begin/end pairs still balance.
        NonRecordingSubsegment refused = new NonRecordingSubsegment(recordingParent);
        context.set(refused);
        return refused;
      }
      RecordingSubsegment subsegment = new RecordingSubsegment(this, name, recordingParent);
      segment.subsegmentBegun();
      recordingParent.addChild(subsegment);
      context.set(subsegment);
      if (listeners != null) {
        listeners.begun(subsegment);
      }
      return subsegment;
    }
    if (parent instanceof NonRecordingSubsegment) {
      // Only a refused (bounded) subsegment is ever current: nest another refused handle.
      NonRecordingSubsegment refused = new NonRecordingSubsegment(parent);
      context.set(refused);
      return refused;
    }
    contextMissing.report("beginSubsegment(\"" + name + "\")");
    return missingSegment.child();
  }

  /**
   * Begins a subsegment of the current entity as {@link #beginSubsegment} does, but leaves the
   * caller's entity current: for a call that another thread completes (an asynchronous client),
   * while the calling thread goes on with its own work. End it with {@code close()} from
   * whichever thread completes the call.
   */
  public Subsegment beginAsyncSubsegment(String name) {
    Entity caller = current();
    Subsegment subsegment = beginSubsegment(name);
    context.set(caller);
    return subsegment;
  }

  /** Ends the current subsegment; its parent becomes current. */
  public void endSubsegment() {
    Entity current = current();
    if (current instanceof NonRecordingSegment) {
      return; // unsampled: subsegments were never made current
    } else if (current instanceof RecordingSubsegment || current instanceof NonRecordingSubsegment) {
      endSubsegment((Subsegment) current, current);
    } else {
      contextMissing.report("endSubsegment()");
    }
  }

  /** Ends {@code subsegment}; if it is current, its parent becomes current. */
  void endSubsegment(Subsegment subsegment) {
    endSubsegment(subsegment, context.current());
  }

  /** {@link #endSubsegment(Subsegment)}, given what is current. */
  private void endSubsegment(Subsegment subsegment, Entity current) {
    if (subsegment instanceof NonRecordingSubsegment) {
      if (current == subsegment) {
        context.set(subsegment.parent());
      }
      return;
    }
    RecordingSubsegment recording = (RecordingSubsegment) subsegment;
    if (!recording.markEnded()) {
      return;
    }
    if (current == recording) {
      context.set(recording.parent());
    }
    if (listeners != null) {
      listeners.ended(recording);
    }
    lifecycle.ended(recording);
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
      contextMissing.report("currentSegment()");
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
    if (current instanceof RecordingSubsegment || current instanceof NonRecordingSubsegment) {
      return (Subsegment) current;
    }
    if (current instanceof NonRecordingSegment) {
      return ((NonRecordingSegment) current).child();
    }
    contextMissing.report("currentSubsegment()");
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

  /**
   * The context this recorder keeps the current entity in, as given to the builder (or found on
   * the class path). Changing the current entity through it directly is not reported to
   * {@link EntityListener}s: integrations use {@link #setCurrentEntity} and
   * {@link #captureContext()}.
   */
  public SegmentContext segmentContext() {
    return givenContext;
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
    return lifecycle.documents().truncatedCount();
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
    return lifecycle.documents().toJson((RecordingEntity) entity);
  }

  /** Counters of keep-on-anomaly capture, or {@code null} when {@code capture-anomalies} is off. */
  public AnomalyCaptureStats anomalyCaptureStats() {
    return anomalyCapture == null ? null : anomalyCapture.stats();
  }

  /** The sampler deciding for new traces. */
  public Sampler sampler() {
    return sampler.sampler();
  }

  /** Stops the sampling poller, sends what is queued and releases the emitter. */
  @Override
  public void close() {
    try {
      if (listeners != null) {
        listeners.closed(this);
      }
      sampler.sampler().close();
    } finally {
      emitter.close();
    }
  }
}

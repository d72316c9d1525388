package dev.radiograph;

import java.util.Map;

/**
 * AWS Lambda support: in Lambda the runtime owns the segment, so the SDK never creates or sends
 * one. Each invocation's trace header (the {@code com.amazonaws.xray.traceHeader} system
 * property the Java runtime sets per invocation, else {@code _X_AMZN_TRACE_ID}) names a facade
 * segment: subsegments begun during the invocation attach to it and are sent on their own with
 * the facade's id as {@code parent_id}; an unsampled invocation records nothing.
 */
final class LambdaFacades {
  static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  static final String TRACE_HEADER_ENV = "_X_AMZN_TRACE_ID";

  private final Recorder recorder;
  private final Map<String, String> environment;
  private String headerText; // guarded by this
  private Segment facade; // guarded by this

  private LambdaFacades(Recorder recorder, Map<String, String> environment) {
    this.recorder = recorder;
    this.environment = environment;
  }

  /** Lambda support when {@code environment} is a Lambda function's, else null. */
  static LambdaFacades detect(Recorder recorder, Map<String, String> environment) {
    boolean lambda = environment.get("AWS_LAMBDA_FUNCTION_NAME") != null
        && (environment.get("LAMBDA_TASK_ROOT") != null || environment.get("AWS_LAMBDA_RUNTIME_API") != null);
    return lambda ? new LambdaFacades(recorder, environment) : null;
  }

  /** The facade of the invocation in progress, or null outside one (no header). */
  synchronized Segment facade() {
    String text = System.getProperty(TRACE_HEADER_PROPERTY);
    if (text == null || text.isEmpty()) {
      text = environment.get(TRACE_HEADER_ENV);
    }
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (!text.equals(headerText)) {
      headerText = text;
      facade = newFacade(TraceHeader.parse(text));
    }
    return facade;
  }

  private Segment newFacade(TraceHeader header) {
    if (!header.hasRoot() || header.parentIdValue() == 0) {
      return null;
    }
    if (header.sampled() != TraceHeader.Sampled.SAMPLED) {
      return new NonRecordingSegment(recorder, header, null, false);
    }
    return RecordingSegment.facade(recorder, header);
  }
}

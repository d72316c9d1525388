package dev.radiograph.awssdk;

import dev.radiograph.aws.AwsCallTracing;
import dev.radiograph.aws.AwsOutcome;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One SDK execution being traced, kept in its execution attributes: which interceptor began it
 * (only that one goes on with it), the call, the trace header it sends, and the attempts made.
 * An async execution's hooks run on the SDK's threads, hence the atomics.
 */
final class TracedExecution {
  private final RadiographAwsInterceptor owner;
  private final AwsCallTracing.Call call;
  private final AwsFieldTable.Fields fields;
  private final String traceHeader; // null: no trace to continue (outside any segment)
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();

  TracedExecution(RadiographAwsInterceptor owner, AwsCallTracing.Call call, AwsFieldTable.Fields fields) {
    this.owner = owner;
    this.call = call;
    this.fields = fields;
    this.traceHeader = call.traceHeader();
  }

  RadiographAwsInterceptor owner() {
    return owner;
  }

  AwsFieldTable.Fields fields() {
    return fields;
  }

  String traceHeader() {
    return traceHeader;
  }

  void attemptStarted() {
    attempts.incrementAndGet();
  }

  int attempts() {
    return attempts.get();
  }

  /** Ends the call once, with the outcome {@code outcome} reads; a failure to read it still ends it. */
  void end(Supplier<AwsOutcome> outcome) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    AwsOutcome read;
    try {
      read = outcome.get();
    } catch (RuntimeException | LinkageError e) {
      read = null; // AwsCallTracing ends a call with no outcome without recording one
    }
    call.end(read);
  }
}

package dev.radiograph;

import dev.radiograph.internal.JsonWriter;

/**
 * One exception of an entity's {@code cause}: what X-Ray shows in its exception panel. The stack
 * is kept as the JVM's frames and written at serialization time, cut to
 * {@value #MAX_STACK_FRAMES} frames ({@code truncated} says how many were left out).
 */
final class ExceptionRecord {
  static final int MAX_STACK_FRAMES = 50;

  private static final byte[] ID = JsonWriter.key("id");
  private static final byte[] MESSAGE = JsonWriter.key("message");
  private static final byte[] TYPE = JsonWriter.key("type");
  private static final byte[] REMOTE = JsonWriter.key("remote");
  private static final byte[] STACK = JsonWriter.key("stack");
  private static final byte[] PATH = JsonWriter.key("path");
  private static final byte[] LINE = JsonWriter.key("line");
  private static final byte[] LABEL = JsonWriter.key("label");
  private static final byte[] TRUNCATED = JsonWriter.key("truncated");
  private static final byte[] SKIPPED = JsonWriter.key("skipped");
  private static final byte[] CAUSE = JsonWriter.key("cause");

  final long id;
  private final String message;
  private final String type;
  private final boolean remote;
  private final StackTraceElement[] stack;
  long causeId; // 0 when this exception has no recorded cause
  int skipped; // causes beyond the recorded chain

  /** {@code type} replaces the class name when not null (a service's error code). */
  ExceptionRecord(long id, Throwable exception, boolean remote, String type) {
    this.id = id;
    this.message = safeMessage(exception);
    this.type = type == null ? exception.getClass().getName() : type.length() > 256 ? type.substring(0, 256) : type;
    this.remote = remote;
    this.stack = exception.getStackTrace();
  }

  private static String safeMessage(Throwable exception) {
    try {
      return exception.getMessage();
    } catch (RuntimeException e) {
      return null; // a getMessage() that throws must not break tracing
    }
  }

  void writeTo(JsonWriter w) {
    w.beginObject();
    w.asciiName(ID).hexIdValue(id);
    if (message != null) {
      w.asciiName(MESSAGE).value(message);
    }
    w.asciiName(TYPE).value(type);
    if (remote) {
      w.asciiName(REMOTE).value(true);
    }
    int frames = Math.min(stack.length, MAX_STACK_FRAMES);
    if (frames > 0) {
      w.asciiName(STACK).beginArray();
      for (int i = 0; i < frames; i++) {
        StackTraceElement frame = stack[i];
        w.beginObject();
        String file = frame.getFileName();
        if (file != null) {
          w.asciiName(PATH).value(file);
        }
        if (frame.getLineNumber() >= 0) {
          w.asciiName(LINE).value(frame.getLineNumber());
        }
        w.asciiName(LABEL).value(frame.getClassName() + '.' + frame.getMethodName());
        w.endObject();
      }
      w.endArray();
    }
    if (stack.length > frames) {
      w.asciiName(TRUNCATED).value(stack.length - frames);
    }
    if (skipped > 0) {
      w.asciiName(SKIPPED).value(skipped);
    }
    if (causeId != 0) {
      w.asciiName(CAUSE).hexIdValue(causeId);
    }
    w.endObject();
  }

  /** Writes without the stack, for a document that must shrink to fit a datagram. */
  void writeWithoutStack(JsonWriter w) {
    w.beginObject();
    w.asciiName(ID).hexIdValue(id);
    if (message != null) {
      w.asciiName(MESSAGE).value(message.length() > 1000 ? message.substring(0, 1000) : message);
    }
    w.asciiName(TYPE).value(type);
    if (remote) {
      w.asciiName(REMOTE).value(true);
    }
    if (stack.length > 0) {
      w.asciiName(TRUNCATED).value(stack.length);
    }
    if (skipped > 0) {
      w.asciiName(SKIPPED).value(skipped);
    }
    if (causeId != 0) {
      w.asciiName(CAUSE).hexIdValue(causeId);
    }
    w.endObject();
  }
}

package dev.radiograph;

import dev.radiograph.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes an entity as an X-Ray segment document: the fields in the order X-Ray's own SDKs write
 * them, each block only when it has something, names pre-encoded once.
 *
 * <p>Reads the entity's state under the entity's lock (the one its setters take), so a document
 * is a consistent picture even while the application still changes the entity; a parent's lock is
 * held while its children are written, which is the lock order the rest of the SDK keeps.
 */
final class DocumentWriter {
  private static final byte[] NAME = JsonWriter.key("name");
  private static final byte[] ID = JsonWriter.key("id");
  private static final byte[] TRACE_ID = JsonWriter.key("trace_id");
  private static final byte[] PARENT_ID = JsonWriter.key("parent_id");
  private static final byte[] TYPE = JsonWriter.key("type");
  private static final byte[] SUBSEGMENT = "\"subsegment\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] START_TIME = JsonWriter.key("start_time");
  private static final byte[] END_TIME = JsonWriter.key("end_time");
  private static final byte[] IN_PROGRESS = JsonWriter.key("in_progress");
  private static final byte[] NAMESPACE = JsonWriter.key("namespace");
  private static final byte[] ORIGIN = JsonWriter.key("origin");
  private static final byte[] USER = JsonWriter.key("user");
  private static final byte[] SERVICE = JsonWriter.key("service");
  private static final byte[] ERROR = JsonWriter.key("error");
  private static final byte[] FAULT = JsonWriter.key("fault");
  private static final byte[] THROTTLE = JsonWriter.key("throttle");
  private static final byte[] HTTP = JsonWriter.key("http");
  private static final byte[] REQUEST = JsonWriter.key("request");
  private static final byte[] RESPONSE = JsonWriter.key("response");
  private static final byte[] AWS = JsonWriter.key("aws");
  private static final byte[] XRAY = JsonWriter.key("xray");
  private static final byte[] SQL = JsonWriter.key("sql");
  private static final byte[] ANNOTATIONS = JsonWriter.key("annotations");
  private static final byte[] METADATA = JsonWriter.key("metadata");
  private static final byte[] CAUSE = JsonWriter.key("cause");
  private static final byte[] WORKING_DIRECTORY = JsonWriter.key("working_directory");
  private static final byte[] EXCEPTIONS = JsonWriter.key("exceptions");
  private static final byte[] SUBSEGMENTS = JsonWriter.key("subsegments");
  private static final byte[][] HTTP_NAMES = names(RecordingEntity.HTTP_KEYS);
  private static final byte[][] SQL_NAMES = names(RecordingEntity.SQL_KEYS);
  private static final String WORKING_DIR = System.getProperty("user.dir", "");
  private static final int NO_SKIP = -1;

  private DocumentWriter() {}

  /**
   * Writes {@code entity}'s document.
   *
   * @param independent a subsegment sent on its own: it names its trace and parent and says
   *     {@code type: subsegment}
   * @param withChildren whether the subsegments still attached are written inside it
   */
  static void write(JsonWriter w, RecordingEntity entity, boolean independent, boolean withChildren,
      Reduction reduction) {
    w.beginObject();
    w.asciiName(NAME).value(entity.name);
    w.asciiName(ID).hexIdValue(entity.id);
    synchronized (entity) {
      // Read once: the entity may end (without its lock) while this document is written, and the
      // document and what the entity remembers of it must agree.
      long end = entity.endMicros;
      entity.markWrittenLocked(end);
      if (entity instanceof RecordingSegment) {
        RecordingSegment segment = (RecordingSegment) entity;
        w.asciiName(TRACE_ID).rawValue(segment.quotedTraceId());
        if (segment.parentIdValue() != 0) {
          w.asciiName(PARENT_ID).hexIdValue(segment.parentIdValue());
        }
      } else if (independent) {
        RecordingSubsegment subsegment = (RecordingSubsegment) entity;
        w.asciiName(TYPE).rawValue(SUBSEGMENT);
        w.asciiName(TRACE_ID).rawValue(subsegment.segment().quotedTraceId());
        w.asciiName(PARENT_ID).hexIdValue(subsegment.parent().id);
      }
      w.asciiName(START_TIME).epochSecondsValue(entity.startMicros);
      if (end != 0) {
        w.asciiName(END_TIME).epochSecondsValue(end);
      } else {
        w.asciiName(IN_PROGRESS).value(true);
      }
      if (entity instanceof RecordingSegment) {
        writeSegmentFields(w, (RecordingSegment) entity, reduction);
      } else {
        String namespace = ((RecordingSubsegment) entity).namespaceLocked();
        if (namespace != null) {
          w.asciiName(NAMESPACE).value(namespace);
        }
      }
      writeFlags(w, entity.flags);
      if (reduction.keepsIndexedBlocks() && entity.http != null) {
        writeHttp(w, entity.http);
      }
      if (reduction.keepsIndexedBlocks()) {
        if (entity instanceof RecordingSegment) {
          writeSegmentAws(w, (RecordingSegment) entity);
        } else if (entity.aws != null) {
          w.asciiName(AWS);
          JsonValues.write(w, entity.aws);
        }
      }
      if (entity.sql != null) {
        int skip = reduction.keepsStacksAndQuery() ? NO_SKIP : RecordingEntity.SANITIZED_QUERY;
        writeFields(w.asciiName(SQL), SQL_NAMES, entity.sql, 0, SQL_NAMES.length, skip);
      }
      if (entity.annotationCount > 0 && reduction.keepsIndexedBlocks()) {
        writeAnnotations(w, entity.annotationKeys, entity.annotationValues, entity.annotationCount);
      }
      if (entity.metadata != null && reduction.keepsMetadata()) {
        w.asciiName(METADATA);
        JsonValues.write(w, entity.metadata);
      }
      if (entity.exceptions != null) {
        w.asciiName(CAUSE).beginObject();
        w.asciiName(WORKING_DIRECTORY).value(WORKING_DIR);
        w.asciiName(EXCEPTIONS).beginArray();
        for (ExceptionRecord e : entity.exceptions) {
          if (reduction.keepsStacksAndQuery()) {
            e.writeTo(w);
          } else {
            e.writeWithoutStack(w);
          }
        }
        w.endArray();
        w.endObject();
      } else if (entity.causeReference != 0) {
        w.asciiName(CAUSE).hexIdValue(entity.causeReference);
      }
      if (withChildren && entity.children != null && !entity.children.isEmpty()) {
        w.asciiName(SUBSEGMENTS).beginArray();
        for (RecordingSubsegment child : entity.children) {
          write(w, child, false, true, reduction);
        }
        w.endArray();
      }
    }
    w.endObject();
  }

  private static void writeSegmentFields(JsonWriter w, RecordingSegment segment, Reduction reduction) {
    String origin = segment.effectiveOrigin();
    if (origin != null) {
      w.asciiName(ORIGIN).value(origin);
    }
    if (segment.user() != null) {
      w.asciiName(USER).value(segment.user());
    }
    if (segment.service() != null && reduction.keepsIndexedBlocks()) {
      w.asciiName(SERVICE);
      JsonValues.write(w, segment.service());
    }
  }

  private static void writeFlags(JsonWriter w, int flags) {
    if ((flags & RecordingEntity.ERROR) != 0) {
      w.asciiName(ERROR).value(true);
    }
    if ((flags & RecordingEntity.FAULT) != 0) {
      w.asciiName(FAULT).value(true);
    }
    if ((flags & RecordingEntity.THROTTLE) != 0) {
      w.asciiName(THROTTLE).value(true);
    }
  }

  private static void writeHttp(JsonWriter w, Object[] http) {
    int responseFrom = RecordingEntity.HTTP_RESPONSE_FROM;
    w.asciiName(HTTP).beginObject();
    if (hasFields(http, 0, responseFrom)) {
      writeFields(w.asciiName(REQUEST), HTTP_NAMES, http, 0, responseFrom, NO_SKIP);
    }
    if (hasFields(http, responseFrom, http.length)) {
      writeFields(w.asciiName(RESPONSE), HTTP_NAMES, http, responseFrom, http.length, NO_SKIP);
    }
    w.endObject();
  }

  /**
   * A segment's {@code aws} block: what the application put, the plugins' entries it did not
   * override, and always the SDK's own {@code xray} entry.
   */
  private static void writeSegmentAws(JsonWriter w, RecordingSegment segment) {
    Map<String, Object> aws = segment.aws;
    PluginEnvironment.Entries environment = segment.environment();
    w.asciiName(AWS).beginObject();
    if (aws != null) {
      for (Map.Entry<String, Object> entry : aws.entrySet()) {
        if (!"xray".equals(entry.getKey())) {
          w.name(entry.getKey());
          JsonValues.write(w, entry.getValue());
        }
      }
    }
    if (environment != null) {
      for (int i = 0; i < environment.keys.size(); i++) {
        String key = environment.keys.get(i);
        if (aws == null || !aws.containsKey(key)) {
          w.name(key).rawValue(environment.values.get(i));
        }
      }
    }
    w.asciiName(XRAY).rawValue(SdkInfo.XRAY_BLOCK);
    w.endObject();
  }

  private static void writeAnnotations(JsonWriter w, String[] keys, Object[] values, int count) {
    w.asciiName(ANNOTATIONS).beginObject();
    for (int i = 0; i < count; i++) {
      w.name(keys[i]);
      Object value = values[i];
      if (value instanceof String) {
        w.value((String) value);
      } else if (value instanceof Boolean) {
        w.value((boolean) (Boolean) value);
      } else {
        JsonValues.write(w, value);
      }
    }
    w.endObject();
  }

  /** Whether any of {@code values[from, to)} is present. */
  private static boolean hasFields(Object[] values, int from, int to) {
    for (int i = from; i < to; i++) {
      if (values[i] != null) {
        return true;
      }
    }
    return false;
  }

  /** Writes the present fields of {@code values[from, to)} but {@code skip} as one object. */
  private static void writeFields(JsonWriter w, byte[][] names, Object[] values, int from, int to, int skip) {
    w.beginObject();
    for (int i = from; i < to; i++) {
      if (values[i] != null && i != skip) {
        w.asciiName(names[i]);
        JsonValues.write(w, values[i]);
      }
    }
    w.endObject();
  }

  private static byte[][] names(String[] keys) {
    byte[][] names = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      names[i] = JsonWriter.key(keys[i]);
    }
    return names;
  }
}

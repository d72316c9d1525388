package dev.radiograph.benchmarks;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Our stand-in for an exporter: the OpenTelemetry Java SDK has no exporter that sends X-Ray
 * documents over UDP to a daemon (the X-Ray path for OpenTelemetry goes through the OTel
 * Collector over OTLP). So that OpenTelemetry does comparable work to the X-Ray SDKs (serialize
 * every span, put it on a UDP socket), this exporter writes each batch as a hand-written, minimal
 * JSON array of spans and sends it as datagrams (each under 64 KB) to a local socket.
 *
 * <p>It runs on the {@code BatchSpanProcessor}'s worker thread, off the request path, as an OTel
 * exporter would. One buffer and one channel are reused.
 */
final class JsonUdpSpanExporter implements SpanExporter {
  private static final int MAX_DATAGRAM = 60 * 1024;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress target;
  private final DatagramChannel channel;
  private final AtomicLong exportedSpans = new AtomicLong();
  private final AtomicLong datagrams = new AtomicLong();
  private byte[] buffer = new byte[MAX_DATAGRAM + 8 * 1024];
  private int size;
  private int attributesWritten;
  private final BiConsumer<AttributeKey<?>, Object> attributeWriter = this::writeAttribute;

  JsonUdpSpanExporter(int port) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.channel = DatagramChannel.open();
  }

  long exportedSpans() {
    return exportedSpans.get();
  }

  long datagrams() {
    return datagrams.get();
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    try {
      size = 0;
      int spansInDatagram = 0;
      for (SpanData span : spans) {
        int before = size;
        writeByte(spansInDatagram == 0 ? '[' : ',');
        writeSpan(span);
        if (size + 1 > MAX_DATAGRAM && spansInDatagram > 0) {
          // This span does not fit: send what came before, start the next datagram with it.
          size = before;
          sendDatagram();
          spansInDatagram = 0;
          writeByte('[');
          writeSpan(span);
        }
        spansInDatagram++;
        exportedSpans.incrementAndGet();
      }
      if (spansInDatagram > 0) {
        sendDatagram();
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofFailure();
    }
  }

  private void sendDatagram() throws IOException {
    writeByte(']');
    if (size <= MAX_DATAGRAM) { // a single span too big for a datagram is dropped
      channel.send(ByteBuffer.wrap(buffer, 0, size), target);
      datagrams.incrementAndGet();
    }
    size = 0;
  }

  private void writeSpan(SpanData span) {
    writeAscii("{\"trace_id\":\"");
    writeAscii(span.getTraceId());
    writeAscii("\",\"id\":\"");
    writeAscii(span.getSpanId());
    if (span.getParentSpanContext().isValid()) {
      writeAscii("\",\"parent_id\":\"");
      writeAscii(span.getParentSpanId());
    }
    writeAscii("\",\"name\":");
    writeString(span.getName());
    writeAscii(",\"kind\":\"");
    writeAscii(span.getKind().name());
    writeAscii("\",\"start_time_unix_nano\":");
    writeLong(span.getStartEpochNanos());
    writeAscii(",\"end_time_unix_nano\":");
    writeLong(span.getEndEpochNanos());
    if (!span.getAttributes().isEmpty()) {
      writeAscii(",\"attributes\":{");
      attributesWritten = 0;
      span.getAttributes().forEach(attributeWriter);
      writeByte('}');
    }
    writeByte('}');
  }

  private void writeAttribute(AttributeKey<?> key, Object value) {
    if (attributesWritten++ > 0) {
      writeByte(',');
    }
    writeString(key.getKey());
    writeByte(':');
    writeValue(value);
  }

  private void writeValue(Object value) {
    if (value instanceof String) {
      writeString((String) value);
    } else if (value instanceof Long || value instanceof Integer) {
      writeLong(((Number) value).longValue());
    } else if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isFinite(d)) {
        writeAscii(Double.toString(d));
      } else {
        writeAscii("null");
      }
    } else if (value instanceof Boolean) {
      writeAscii((Boolean) value ? "true" : "false");
    } else if (value instanceof List) {
      writeByte('[');
      boolean first = true;
      for (Object element : (List<?>) value) {
        if (!first) {
          writeByte(',');
        }
        first = false;
        writeValue(element);
      }
      writeByte(']');
    } else {
      writeString(String.valueOf(value));
    }
  }

  // ---------------------------------------------------------------- minimal JSON writing

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  private void writeByte(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
  }

  /** Text known to need no escaping (ids, keys written here, numbers). */
  private void writeAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[size++] = (byte) s.charAt(i);
    }
  }

  private void writeLong(long v) {
    if (v == Long.MIN_VALUE) {
      writeAscii(Long.toString(v));
      return;
    }
    ensure(20);
    if (v < 0) {
      buffer[size++] = '-';
      v = -v;
    }
    int start = size;
    do {
      buffer[size++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    for (int i = start, j = size - 1; i < j; i++, j--) {
      byte t = buffer[i];
      buffer[i] = buffer[j];
      buffer[j] = t;
    }
  }

  /** A JSON string: quotes, backslashes and control characters escaped, UTF-8 otherwise. */
  private void writeString(String s) {
    writeByte('"');
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      for (int i = 0; i < n; i++) {
        writeEscaped(s.charAt(i));
      }
    } else {
      // UTF-8 continuation bytes are never ASCII, so escaping byte by byte is correct.
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        writeEscaped(b & 0xFF);
      }
    }
    writeByte('"');
  }

  private void writeEscaped(int c) {
    if (c == '"' || c == '\\') {
      ensure(2);
      buffer[size++] = '\\';
      buffer[size++] = (byte) c;
    } else if (c < 0x20) {
      ensure(6);
      buffer[size++] = '\\';
      buffer[size++] = 'u';
      buffer[size++] = '0';
      buffer[size++] = '0';
      buffer[size++] = HEX[c >> 4];
      buffer[size++] = HEX[c & 0xF];
    } else {
      ensure(1);
      buffer[size++] = (byte) c;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    try {
      channel.close();
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
    return CompletableResultCode.ofSuccess();
  }
}

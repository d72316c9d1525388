package dev.radiograph.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest HTTP/1.1 client that can drive a server benchmark: one keep-alive connection with
 * {@code TCP_NODELAY}, one {@code GET} written in one packet, the response read into one reused
 * buffer. It starts no thread and allocates next to nothing per request, so that a server's cost
 * (and its B/op) is not buried under the client's.
 *
 * <p>Nothing can hang: connecting and every read time out after {@value #TIMEOUT_MILLIS} ms. A
 * response must have a {@code Content-Length} (the hello-world servers set one); a
 * {@code Connection: close} closes the connection and the next request opens a new one. Not
 * thread-safe: one client per benchmark thread.
 */
final class KeepAliveClient implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress address;
  private final byte[] request;
  private final byte[] buffer = new byte[16 * 1024];
  private byte[] batch = new byte[0]; // the request repeated, for pipelined batches
  private int pos; // buffer[pos, limit) holds bytes read but not yet consumed: the start of the
  private int limit; // next pipelined response
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long connections; // for the teardown summary

  /** A client of {@code http://127.0.0.1:<port><path>}; it connects on the first request. */
  KeepAliveClient(int port, String path) {
    this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.request = ("GET " + path + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "User-Agent: radiograph-benchmarks\r\n"
        + "Accept: */*\r\n"
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * One round trip: sends the request, reads the whole response, returns its status code.
   *
   * @throws IOException when the server closes the connection, times out or answers what this
   *     client cannot read; the connection is closed and the next call opens a new one
   */
  int get() throws IOException {
    boolean reused = socket != null;
    if (!reused) {
      connect();
    }
    try {
      out.write(request);
      return readResponse();
    } catch (EOFException e) {
      close();
      if (reused) {
        // The server closed an idle keep-alive connection before this request reached it: one
        // retry on a new connection (GET is idempotent).
        connect();
        try {
          out.write(request);
          return readResponse();
        } catch (IOException | RuntimeException again) {
          close();
          throw again;
        }
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * {@code count} requests pipelined (HTTP/1.1): written at once, then the responses read in
   * order. The server then serves them back to back, so the time per request is the server's
   * work rather than the loopback's wake-up latency, which a single round trip mostly measures.
   * Returns the number of responses with status 200.
   */
  int pipelined(int count) throws IOException {
    if (batch.length != request.length * count) {
      batch = new byte[request.length * count];
      for (int i = 0; i < count; i++) {
        System.arraycopy(request, 0, batch, i * request.length, request.length);
      }
    }
    if (socket == null) {
      connect();
    }
    try {
      out.write(batch);
      int ok = 0;
      for (int i = 0; i < count; i++) {
        if (readResponse() == 200) {
          ok++;
        }
      }
      return ok;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** How many connections were opened (1 when keep-alive held all along). */
  long connections() {
    return connections;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(TIMEOUT_MILLIS);
      s.connect(address, TIMEOUT_MILLIS);
      in = s.getInputStream();
      out = s.getOutputStream();
      pos = 0;
      limit = 0;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    socket = s;
    connections++;
  }

  private int readResponse() throws IOException {
    byte[] buf = buffer;
    if (pos > 0) { // what is left of the previous read starts this response
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int headEnd;
    while ((headEnd = headEnd(buf, limit)) < 0) {
      if (limit == buf.length) {
        throw new IOException("response head longer than " + buf.length + " bytes");
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        if (limit == 0) {
          throw new EOFException("the server closed the connection");
        }
        throw new IOException("the server closed the connection in the middle of a response");
      }
      limit += n;
    }
    if (headEnd < 12 || buf[0] != 'H' || buf[8] != ' ') {
      throw new IOException("not an HTTP/1.x response: "
          + new String(buf, 0, Math.min(limit, 80), StandardCharsets.ISO_8859_1));
    }
    int status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    long contentLength = -1;
    boolean closeAfter = false;
    for (int line = lineAfter(buf, 0, headEnd); line < headEnd; line = lineAfter(buf, line, headEnd)) {
      if (startsWithIgnoreCase(buf, line, headEnd, CONTENT_LENGTH)) {
        contentLength = parseNumber(buf, line + CONTENT_LENGTH.length, headEnd);
      } else if (startsWithIgnoreCase(buf, line, headEnd, CONNECTION_CLOSE)) {
        closeAfter = true;
      }
    }
    if (contentLength < 0) {
      throw new IOException("the response has no Content-Length (this client reads no chunked body)");
    }
    long remaining = contentLength - (limit - headEnd);
    if (remaining <= 0) {
      pos = headEnd + (int) contentLength; // the rest belongs to the next response
    } else {
      limit = 0;
      while (remaining > 0) {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          throw new IOException("the server closed the connection in the middle of a body");
        }
        if (n > remaining) { // the body ended inside this read: keep the rest
          pos = (int) remaining;
          limit = n;
        }
        remaining -= n;
      }
    }
    if (closeAfter) {
      close();
    }
    return status;
  }

  /** The index just past the head's blank line, or -1 while it has not arrived. */
  private static int headEnd(byte[] buf, int length) {
    for (int i = 3; i < length; i++) {
      if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The start of the line after the one at {@code from}. */
  private static int lineAfter(byte[] buf, int from, int end) {
    for (int i = from; i < end; i++) {
      if (buf[i] == '\n') {
        return i + 1;
      }
    }
    return end;
  }

  private static boolean startsWithIgnoreCase(byte[] buf, int from, int end, byte[] lowerCase) {
    if (end - from < lowerCase.length) {
      return false;
    }
    for (int i = 0; i < lowerCase.length; i++) {
      int b = buf[from + i];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lowerCase[i]) {
        return false;
      }
    }
    return true;
  }

  private static long parseNumber(byte[] buf, int from, int end) throws IOException {
    int i = from;
    while (i < end && buf[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9' && digits < 18) {
      value = value * 10 + (buf[i++] - '0');
      digits++;
    }
    if (digits == 0) {
      throw new IOException("a Content-Length that is not a number");
    }
    return value;
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // Closing: nothing more to do.
      }
    }
  }
}

package dev.radiograph.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 written by hand, for what real clients will not send: any Host, half a request, bad chunks. */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} (which should say {@code Connection: close}) and reads the answer to its end. */
  static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readToEnd(socket.getInputStream());
    }
  }

  /** A GET of {@code path} with the given extra header lines (each ending in CRLF). */
  static String get(int port, String host, String path, String headers) throws IOException {
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n");
  }

  /** A POST of {@code body} as UTF-8, with the given extra header lines (each ending in CRLF). */
  static String post(int port, String host, String path, String headers, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return exchange(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
        + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + new String(bytes, StandardCharsets.ISO_8859_1));
  }

  /** Everything until the server closes (or 30 s of silence). */
  static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what came is the answer
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The status code of an answer, or -1 for none. */
  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  /** The value of a response header (case-insensitive name), or null. */
  static String header(String response, String name) {
    int end = response.indexOf("\r\n\r\n");
    for (String line : response.substring(0, end < 0 ? response.length() : end).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** The body of an answer. */
  static String body(String response) {
    int end = response.indexOf("\r\n\r\n");
    return end < 0 ? "" : response.substring(end + 4);
  }
}

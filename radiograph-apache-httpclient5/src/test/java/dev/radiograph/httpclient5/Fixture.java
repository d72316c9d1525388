package dev.radiograph.httpclient5;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The real parts a client test runs against: the downstream server, a UDP socket standing for the
 * daemon, and a recorder that sends there.
 */
final class Fixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final UdpDaemon daemon;
  final Backend backend;
  final Recorder recorder;

  Fixture() throws IOException {
    daemon = new UdpDaemon();
    backend = new Backend();
    recorder = daemon.recorderBuilder().contextMissing(ContextMissingStrategy.IGNORE_ERROR).build();
  }

  /** The one segment document the recorder sent. */
  JsonNode receiveSegment() throws IOException {
    recorder.flush(WAIT);
    return daemon.receiveOne(WAIT);
  }

  /**
   * Receives the segment and asserts that its one subsegment is a remote call of {@code method}
   * to {@code uri} answered {@code status}, which sent the trace, with itself as the parent, on
   * each of the requests {@code requestIds} the server saw. Returns that subsegment.
   */
  JsonNode receiveOneCall(String method, URI uri, int status, String... requestIds) throws IOException {
    JsonNode document = receiveSegment();
    JsonNode call = CallAssertions.onlyCall(document);
    CallAssertions.assertRemoteCall(call, method, uri, status);
    for (String id : requestIds) {
      CallAssertions.assertSentWithParent(backend.headers(id), document, call);
    }
    return call;
  }

  /** Exactly {@code count} documents, bounded in time. */
  List<JsonNode> receive(int count) throws IOException {
    recorder.flush(WAIT);
    return daemon.receive(count, Duration.ofSeconds(20));
  }

  /** Asserts that the recorder sent nothing (more). */
  List<JsonNode> receiveRest() throws IOException {
    recorder.flush(WAIT);
    return daemon.receiveAll(Duration.ofMillis(300));
  }

  @Override
  public void close() {
    recorder.close();
    backend.close();
    daemon.close();
  }
}

package dev.radiograph;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests of what a recorder sends: a real UDP socket playing the daemon, and a recorder that
 * sends to it (isolated from this machine's environment), both new for each test.
 */
public abstract class RecordingTest {
  protected UdpDaemon daemon;
  protected Recorder recorder;

  @BeforeEach
  void startDaemonAndRecorder() throws IOException {
    daemon = new UdpDaemon();
    recorder = daemon.recorderBuilder().build();
  }

  @AfterEach
  void stopDaemonAndRecorder() {
    recorder.close();
    daemon.close();
  }
}

package dev.radiograph.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.Recorder;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Without an integration's provider on the class path, a recorder keeps its entity per thread. */
class SegmentContextProviderTest {
  @Test
  void withoutProvidersTheDefaultIsAThreadLocal() {
    assertThat(SegmentContextProvider.defaultContext()).isInstanceOf(ThreadLocalSegmentContext.class);
    Recorder recorder = Recorder.builder().environment(Map.of()).systemProperties(new Properties())
        .enabled(false).build();
    try {
      assertThat(recorder.segmentContext()).isInstanceOf(ThreadLocalSegmentContext.class);
    } finally {
      recorder.close();
    }
  }

  @Test
  void aContextGivenToTheBuilderIsKept() {
    SegmentContext own = new ThreadLocalSegmentContext();
    Recorder recorder = Recorder.builder().environment(Map.of()).systemProperties(new Properties())
        .enabled(false).segmentContext(own).build();
    try {
      assertThat(recorder.segmentContext()).isSameAs(own);
    } finally {
      recorder.close();
    }
  }
}

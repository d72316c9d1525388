package dev.radiograph.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.radiograph.ContextMissingStrategy;
import dev.radiograph.Recorder;
import dev.radiograph.SegmentNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls made outside any segment, under the context-missing strategies that say something. */
class ContextMissingTest {
  private Fixture fixture;

  @BeforeEach
  void start() throws IOException {
    fixture = new Fixture();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void underLogErrorTheLogNamesTheApplicationsClassAndTheCallsGoOnUntraced() throws Exception {
    List<String> messages = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        messages.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger("dev.radiograph");
    log.addHandler(capture);
    try (Recorder logging = fixture.daemon.recorderBuilder().contextMissing(ContextMissingStrategy.LOG_ERROR).build();
         CloseableHttpClient classic = RadiographHttpClient5.instrument(HttpClients.custom(), logging).build();
         CloseableHttpAsyncClient async = RadiographHttpClient5.instrument(HttpAsyncClients.custom(), logging).build()) {
      async.start();
      int code = classic.execute(new HttpGet(fixture.backend.uri("id=logged")), response -> response.getCode());
      assertThat(code).isEqualTo(200);
      assertThat(async.execute(SimpleRequestBuilder.get(fixture.backend.uri("id=logged-async")).build(), null)
          .get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
    } finally {
      log.removeHandler(capture);
    }

    // The client's own classes stand between this test and the recorder; the log names the test.
    assertThat(messages).anySatisfy(m -> assertThat(m).contains("called from " + getClass().getName()));
    assertThat(fixture.backend.headers("logged").amazon()).isNull();
    assertThat(fixture.backend.headers("logged-async").amazon()).isNull();
    assertThat(fixture.receiveRest()).isEmpty();
  }

  @Test
  void underRuntimeErrorTheCallFailsBeforeAnythingIsSent() throws Exception {
    try (Recorder strict = fixture.daemon.recorderBuilder().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build();
         CloseableHttpClient classic = RadiographHttpClient5.instrument(HttpClients.custom(), strict).build();
         CloseableHttpAsyncClient async = RadiographHttpClient5.instrument(HttpAsyncClients.custom(), strict).build()) {
      async.start();
      Throwable thrown = catchThrowable(
          () -> classic.execute(new HttpGet(fixture.backend.uri("id=strict")), response -> response.getCode()));
      assertThat(thrown).isInstanceOf(SegmentNotFoundException.class);
      Throwable failed = catchThrowable(
          () -> async.execute(SimpleRequestBuilder.get(fixture.backend.uri("id=strict-async")).build(), null)
              .get(10, TimeUnit.SECONDS));
      assertThat(rootOrSelf(failed)).isInstanceOf(SegmentNotFoundException.class);
    }
    assertThat(fixture.backend.headers("strict")).isNull();
    assertThat(fixture.backend.headers("strict-async")).isNull();
  }

  private static Throwable rootOrSelf(Throwable thrown) {
    Throwable t = thrown;
    while (t != null && !(t instanceof SegmentNotFoundException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

package dev.radiograph.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The listener's choice among the errors a container reports: the first. (A container reports at
 * most one per async cycle, so a request shows two only across cycles or from racing threads; the
 * listener is driven here with the container's events directly.)
 */
class AsyncCompletionListenerTest {

  @Test
  void ofTheErrorsReportedDuringTheAsyncProcessingTheFirstIsRecorded() {
    List<Throwable> ended = new ArrayList<>();
    AsyncCompletionListener listener = new AsyncCompletionListener(null, (response, escaped, asyncError) -> ended.add(asyncError));
    IllegalStateException first = new IllegalStateException("the cause");
    java.io.IOException second = new java.io.IOException("writing the error page: broken pipe");

    listener.onError(event(first));
    listener.onTimeout(event(null));
    listener.onError(event(second));
    listener.onError(event(null));
    assertThat(ended).as("the request ends on completion only").isEmpty();

    listener.onComplete(event(null));
    assertThat(ended).containsExactly(first);
  }

  @Test
  void withoutAnErrorTheRequestEndsWithNone() {
    List<Throwable> ended = new ArrayList<>();
    AsyncCompletionListener listener = new AsyncCompletionListener(null, (response, escaped, asyncError) -> ended.add(asyncError));
    listener.onComplete(event(null));
    assertThat(ended).containsExactly((Throwable) null);
  }

  /** An event as the container hands it over, for a listener that reads only its throwable. */
  private static AsyncEvent event(Throwable error) {
    return new AsyncEvent(null, null, null, error);
  }
}

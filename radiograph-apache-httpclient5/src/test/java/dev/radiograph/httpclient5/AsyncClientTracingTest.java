package dev.radiograph.httpclient5;

import static dev.radiograph.httpclient5.CallAssertions.assertSentUnsampled;
import static dev.radiograph.httpclient5.CallAssertions.assertSentWithParent;
import static dev.radiograph.httpclient5.CallAssertions.assertStatusesMapped;
import static dev.radiograph.httpclient5.CallAssertions.assertEachCallUnderItsOwnSegment;
import static dev.radiograph.httpclient5.CallAssertions.closedPort;
import static dev.radiograph.httpclient5.CallAssertions.onlyCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import java.io.IOException;
import java.net.URI;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The async client built by an instrumented {@link HttpAsyncClientBuilder}, against a real local
 * server: the documents that reach a real UDP socket, the headers the server saw, and the entity
 * the application's callbacks see on the client's I/O threads.
 */
class AsyncClientTracingTest {
  private final Fixture fixture = new Fixture();
  private final Backend backend = fixture.backend;
  private final Recorder recorder = fixture.recorder;
  private final CloseableHttpAsyncClient client = RadiographHttpClient5.instrument(plainBuilder(), recorder).build();

  AsyncClientTracingTest() throws IOException {
    client.start();
  }

  @AfterEach
  void stop() {
    client.close(CloseMode.IMMEDIATE);
    fixture.close();
  }

  /** A builder as an application configures one: pooled connections, two I/O threads, bounded timeouts. */
  private static HttpAsyncClientBuilder plainBuilder() {
    return HttpAsyncClients.custom()
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build())
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnPerRoute(32)
            .setMaxConnTotal(32)
            .setDefaultConnectionConfig(CallAssertions.BOUNDED_CONNECTIONS)
            .build());
  }

  @Test
  void theCallbackSeesTheCallersEntityOnAnIoThreadAndTheCallIsRecorded() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=async&delay=200");
    RecordingCallback callback = new RecordingCallback();
    Future<SimpleHttpResponse> response = client.execute(SimpleRequestBuilder.get(uri).build(), callback);
    assertThat(recorder.currentEntity()).as("the call's subsegment is not left current").isSameAs(segment);
    recorder.setCurrentEntity(null); // the calling thread goes on with other work meanwhile

    assertThat(response.get(10, TimeUnit.SECONDS).getBodyText()).isEqualTo("answer to async");
    callback.await();
    assertThat(callback.thread.get()).as("completed on one of the client's threads")
        .isNotEqualTo(Thread.currentThread().getName());
    assertThat(callback.seen.get()).isSameAs(segment);
    assertThat(callback.completed).hasValue(1);
    segment.close();

    fixture.receiveOneCall("GET", uri, 200, "async");
  }

  @Test
  void aCallMadeFromACallbackIsRecordedUnderTheSameSegment() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    CompletableFuture<SimpleHttpResponse> second = new CompletableFuture<>();
    client.execute(SimpleRequestBuilder.get(backend.uri("id=first-call")).build(), new RecordingCallback() {
      @Override
      public void completed(SimpleHttpResponse result) {
        super.completed(result);
        // On an I/O thread, with the caller's segment current: the next call of a chain.
        client.execute(SimpleRequestBuilder.get(backend.uri("id=second-call")).build(), new RecordingCallback() {
          @Override
          public void completed(SimpleHttpResponse result) {
            super.completed(result);
            second.complete(result);
          }
        });
      }
    });
    recorder.setCurrentEntity(null);
    assertThat(second.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
    segment.close();

    JsonNode document = fixture.receiveSegment();
    JsonNode calls = document.get("subsegments");
    assertThat(calls).as("both calls are children of the segment").hasSize(2);
    assertSentWithParent(backend.headers("first-call"), document, calls.get(0));
    assertSentWithParent(backend.headers("second-call"), document, calls.get(1));
  }

  @Test
  void theApplicationsResponseConsumerRunsWithTheCallersEntity() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    AtomicReference<Entity> seenByConsumer = new AtomicReference<>();
    SimpleHttpRequest request = SimpleRequestBuilder.get(backend.uri("id=streamed")).build();
    Future<String> body = client.execute(SimpleRequestProducer.create(request), new AbstractCharResponseConsumer<String>() {
      private final StringBuilder text = new StringBuilder();

      @Override
      protected void start(HttpResponse response, ContentType contentType) {
        seenByConsumer.set(recorder.currentEntity());
      }

      @Override
      protected int capacityIncrement() {
        return 1024;
      }

      @Override
      protected void data(CharBuffer src, boolean endOfStream) {
        text.append(src);
      }

      @Override
      protected String buildResult() {
        return text.toString();
      }

      @Override
      public void releaseResources() {}
    }, null);
    recorder.setCurrentEntity(null);

    assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("answer to streamed");
    assertThat(seenByConsumer.get()).isSameAs(segment);
    segment.close();
    JsonNode document = fixture.receiveSegment();
    assertSentWithParent(backend.headers("streamed"), document, onlyCall(document));
  }

  @Test
  void aResponseWithoutABodyIsRecordedAndCompletesInTheCallersEntity() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=head");
    RecordingCallback callback = new RecordingCallback();
    client.execute(SimpleRequestBuilder.head(uri).build(), callback).get(10, TimeUnit.SECONDS);
    callback.await();
    assertThat(callback.seen.get()).isSameAs(segment);
    segment.close();

    fixture.receiveOneCall("HEAD", uri, 200, "head");
  }

  @Test
  void statusesAreMappedAndARetriedCallIsOneSubsegment() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    for (int status : CallAssertions.MAPPED_STATUSES) {
      SimpleHttpResponse response =
          client.execute(SimpleRequestBuilder.get(backend.uri("id=status-" + status + "&status=" + status)).build(), null).get(10, TimeUnit.SECONDS);
      assertThat(response.getCode()).isEqualTo(status);
    }
    segment.close();

    assertStatusesMapped(fixture.receiveSegment(), backend);
  }

  @Test
  void aRefusedConnectionFailsInTheCallersEntityAndIsRecordedAsAFault() throws Exception {
    SimpleHttpRequest request = SimpleRequestBuilder.get(closedPort()).build();
    Throwable expected;
    try (CloseableHttpAsyncClient plain = plainBuilder().build()) {
      plain.start();
      expected = failureOf(plain.execute(request, null)).getCause();
    }

    Segment segment = recorder.beginSegment("caller");
    RecordingCallback callback = new RecordingCallback();
    Future<SimpleHttpResponse> future = client.execute(SimpleRequestBuilder.get(closedPort()).build(), callback);
    recorder.setCurrentEntity(null);
    Throwable actual = failureOf(future);
    callback.await();
    assertThat(actual.getCause()).isExactlyInstanceOf(expected.getClass());
    assertThat(callback.failed).hasValue(1);
    assertThat(callback.seen.get()).isSameAs(segment);
    segment.close();

    JsonNode call = onlyCall(fixture.receiveSegment());
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/http/response").isMissingNode()).isTrue();
    assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo(expected.getClass().getName());
  }

  @Test
  void aCancelledCallEndsItsSubsegmentOnce() throws Exception {
    // A kept-alive connection first: on a pooled connection the client may not abort the
    // exchange when its future is cancelled, and lets it run to its response.
    client.execute(SimpleRequestBuilder.get(backend.uri("id=warm-up")).build(), null).get(10, TimeUnit.SECONDS);
    Segment segment = recorder.beginSegment("caller");
    RecordingCallback callback = new RecordingCallback();
    Future<SimpleHttpResponse> future =
        client.execute(SimpleRequestBuilder.get(backend.uri("id=cancelled&delay=5000")).build(), callback);
    assertThat(backend.awaitArrival("cancelled", Fixture.WAIT)).isTrue();
    assertThat(future.cancel(true)).isTrue();
    callback.await();
    segment.close();

    // The segment is sent only once every subsegment under it has ended.
    JsonNode document = fixture.receiveSegment();
    JsonNode call = onlyCall(document);
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/cause/exceptions").size()).isEqualTo(1);
    assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo(CancellationException.class.getName());
    assertThat(call.at("/http/response").isMissingNode()).isTrue();
    assertThat(callback.cancelled).hasValue(1);
    assertThat(callback.completed).hasValue(0);
    assertThat(callback.failed).hasValue(0);
    assertSentWithParent(backend.headers("cancelled"), document, call);
    assertThat(fixture.receiveRest()).as("received so far: the one segment, nothing more").hasSize(1);
  }

  @Test
  void aRedirectedCallIsOneSubsegmentAndEveryRequestCarriesTheHeaders() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=async-first&redirect=async-second");
    client.execute(SimpleRequestBuilder.get(uri).build(), null).get(10, TimeUnit.SECONDS);
    segment.close();

    fixture.receiveOneCall("GET", uri, 200, "async-first", "async-second");
  }

  @Test
  void concurrentCallsEachLandUnderTheirOwnSegmentAndTheirCallbacksSeeIt() throws Exception {
    int calls = 200;
    Map<String, Segment> segments = new HashMap<>();
    Map<String, RecordingCallback> callbacks = new HashMap<>();
    List<Future<SimpleHttpResponse>> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String id = "a" + i;
      Segment segment = recorder.beginSegment(id);
      RecordingCallback callback = new RecordingCallback() {
        @Override
        public void completed(SimpleHttpResponse result) {
          super.completed(result);
          recorder.currentSegment().close(); // ends the caller's segment, current here
        }
      };
      futures.add(client.execute(SimpleRequestBuilder.get(backend.uri("id=" + id + "&delay=" + (i % 8))).build(),
          callback));
      recorder.setCurrentEntity(null);
      segments.put(id, segment);
      callbacks.put(id, callback);
    }
    for (Future<SimpleHttpResponse> future : futures) {
      assertThat(future.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(200);
    }
    for (Map.Entry<String, RecordingCallback> entry : callbacks.entrySet()) {
      entry.getValue().await();
      assertThat(entry.getValue().seen.get()).as(entry.getKey()).isSameAs(segments.get(entry.getKey()));
    }

    List<JsonNode> documents = fixture.receive(calls);
    assertEachCallUnderItsOwnSegment(documents, "a", calls, backend);
    for (JsonNode document : documents) {
      assertThat(document.get("trace_id").asText())
          .isEqualTo(segments.get(document.get("name").asText()).traceId().toString());
    }
  }

  @Test
  void anUnsampledRequestSendsItsDecisionOnAndRecordsNothing() throws Exception {
    Segment segment = recorder.beginSegment("caller", CallAssertions.UNSAMPLED_UPSTREAM);
    client.execute(SimpleRequestBuilder.get(backend.uri("id=unsampled")).build(), null).get(10, TimeUnit.SECONDS);
    segment.close();

    assertSentUnsampled(backend.headers("unsampled"));
    assertThat(fixture.receiveRest()).isEmpty();
  }

  @Test
  void withoutASegmentTheRequestGoesOutWithoutHeadersAndNothingIsSent() throws Exception {
    RecordingCallback callback = new RecordingCallback();
    client.execute(SimpleRequestBuilder.get(backend.uri("id=untraced")).build(), callback).get(10, TimeUnit.SECONDS);
    callback.await();

    assertThat(callback.seen.get()).isNull();
    assertThat(backend.headers("untraced").amazon()).isNull();
    assertThat(backend.headers("untraced").traceparent()).isNull();
    assertThat(fixture.receiveRest()).isEmpty();
  }

  private static Throwable failureOf(Future<?> future) throws InterruptedException {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the call neither failed nor completed", e);
    }
    throw new AssertionError("expected a failure");
  }

  /** A {@link FutureCallback} that remembers the entity current when it was called, and on which thread. */
  private class RecordingCallback implements FutureCallback<SimpleHttpResponse> {
    final AtomicReference<Entity> seen = new AtomicReference<>();
    final AtomicReference<String> thread = new AtomicReference<>();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    private final CountDownLatch called = new CountDownLatch(1);

    @Override
    public void completed(SimpleHttpResponse result) {
      completed.incrementAndGet();
      called();
    }

    @Override
    public void failed(Exception ex) {
      failed.incrementAndGet();
      called();
    }

    @Override
    public void cancelled() {
      cancelled.incrementAndGet();
      called();
    }

    private void called() {
      seen.set(recorder.currentEntity());
      thread.set(Thread.currentThread().getName());
      called.countDown();
    }

    void await() throws InterruptedException {
      assertThat(called.await(10, TimeUnit.SECONDS)).as("the callback was called").isTrue();
    }
  }
}

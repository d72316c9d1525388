package dev.radiograph.httpclient5;

import static dev.radiograph.httpclient5.CallAssertions.assertRemoteCall;
import static dev.radiograph.httpclient5.CallAssertions.assertSentUnsampled;
import static dev.radiograph.httpclient5.CallAssertions.assertSentWithParent;
import static dev.radiograph.httpclient5.CallAssertions.assertStatusesMapped;
import static dev.radiograph.httpclient5.CallAssertions.assertEachCallUnderItsOwnSegment;
import static dev.radiograph.httpclient5.CallAssertions.closedPort;
import static dev.radiograph.httpclient5.CallAssertions.onlyCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.Entity;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classic client built by an instrumented {@link HttpClientBuilder}, against a real local
 * server, asserting on the documents that reach a real UDP socket and the headers the server saw.
 */
class ClassicClientTracingTest {
  private final Fixture fixture = new Fixture();
  private final Backend backend = fixture.backend;
  private final Recorder recorder = fixture.recorder;
  private final CloseableHttpClient client = RadiographHttpClient5.instrument(plainBuilder(), recorder).build();

  ClassicClientTracingTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    client.close();
    fixture.close();
  }

  /** A builder as an application configures one: pooled connections, bounded timeouts. */
  private static HttpClientBuilder plainBuilder() {
    return HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnPerRoute(16)
        .setMaxConnTotal(16)
        .setDefaultConnectionConfig(CallAssertions.BOUNDED_CONNECTIONS)
        .build());
  }

  @Test
  void aCallIsARemoteSubsegmentAndSendsBothHeadersWithItAsParent() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=sync");
    AtomicReference<Entity> currentDuringCall = new AtomicReference<>();
    String body = client.execute(new HttpGet(uri), response -> {
      currentDuringCall.set(recorder.currentEntity());
      return EntityUtils.toString(response.getEntity());
    });
    assertThat(recorder.currentEntity()).as("the caller's entity is current again").isSameAs(segment);
    segment.close();

    assertThat(body).isEqualTo("answer to sync");
    assertThat(currentDuringCall.get()).as("the response handler runs after the call, in the caller's entity")
        .isSameAs(segment);
    JsonNode call = fixture.receiveOneCall("GET", uri, 200, "sync");
    assertThat(call.has("fault")).isFalse();
    assertThat(call.has("error")).isFalse();
  }

  @Test
  void whileTheCallRunsItsSubsegmentIsCurrentOnTheCallingThread() throws Exception {
    AtomicReference<Entity> currentInChain = new AtomicReference<>();
    HttpClientBuilder builder = RadiographHttpClient5.instrument(plainBuilder(), recorder)
        .addRequestInterceptorFirst((request, entity, context) -> currentInChain.set(recorder.currentEntity()));
    try (CloseableHttpClient observed = builder.build()) {
      Segment segment = recorder.beginSegment("caller");
      observed.execute(new HttpGet(backend.uri("id=observed")), response -> response.getCode());
      segment.close();
    }

    JsonNode call = onlyCall(fixture.receiveSegment());
    assertThat(currentInChain.get()).isNotNull();
    assertThat(currentInChain.get().id()).isEqualTo(call.get("id").asText());
  }

  @Test
  void statusesAreMappedAndARetriedCallIsOneSubsegment() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    for (int status : CallAssertions.MAPPED_STATUSES) {
      int code = client.execute(new HttpGet(backend.uri("id=status-" + status + "&status=" + status)), response -> response.getCode());
      assertThat(code).isEqualTo(status);
    }
    segment.close();

    assertStatusesMapped(fixture.receiveSegment(), backend);
  }

  @Test
  void aRefusedConnectionThrowsTheClientsOwnExceptionAndIsRecordedAsAFault() throws Exception {
    URI nobody = closedPort();
    Class<? extends Throwable> expected;
    try (CloseableHttpClient plain = plainBuilder().build()) {
      expected = catchThrowable(() -> plain.execute(new HttpGet(nobody), response -> null)).getClass();
    }

    Segment segment = recorder.beginSegment("caller");
    assertThatThrownBy(() -> client.execute(new HttpGet(nobody), response -> null))
        .isExactlyInstanceOf(expected)
        .isInstanceOf(ConnectException.class);
    assertThat(recorder.currentEntity()).isSameAs(segment);
    segment.close();

    JsonNode call = onlyCall(fixture.receiveSegment());
    assertThat(call.get("fault").asBoolean()).isTrue();
    assertThat(call.at("/http/response").isMissingNode()).isTrue();
    assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo(expected.getName());
  }

  @Test
  void aRedirectedCallIsOneSubsegmentAndEveryRequestCarriesTheHeaders() throws Exception {
    Segment segment = recorder.beginSegment("caller");
    URI uri = backend.uri("id=first&redirect=second");
    client.execute(new HttpGet(uri), response -> EntityUtils.toString(response.getEntity()));
    // 303 after a POST: the client sends a new GET, built without the POST's headers.
    ClassicHttpRequest post = new HttpPost(backend.uri("id=posted&status=303&redirect=seen-other"));
    post.setEntity(new StringEntity("order"));
    client.execute(post, response -> EntityUtils.toString(response.getEntity()));
    segment.close();

    JsonNode document = fixture.receiveSegment();
    JsonNode calls = document.get("subsegments");
    assertThat(calls).as("one subsegment per logical call, not per request").hasSize(2);
    assertRemoteCall(calls.get(0), "GET", uri, 200);
    assertSentWithParent(backend.headers("first"), document, calls.get(0));
    assertSentWithParent(backend.headers("second"), document, calls.get(0));
    assertThat(calls.get(1).at("/http/request/method").asText()).isEqualTo("POST");
    assertThat(calls.get(1).at("/http/response/status").asInt()).isEqualTo(200);
    assertSentWithParent(backend.headers("posted"), document, calls.get(1));
    assertThat(backend.headers("seen-other").method()).isEqualTo("GET");
    assertSentWithParent(backend.headers("seen-other"), document, calls.get(1));
  }

  @Test
  void concurrentCallsOnABoundedPoolEachLandUnderTheirOwnSegment() throws Exception {
    int calls = 200;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        String id = "c" + i;
        done.add(pool.submit(() -> {
          Segment segment = recorder.beginSegment(id);
          try {
            return client.execute(new HttpGet(backend.uri("id=" + id + "&delay=" + (id.hashCode() & 7))),
                response -> EntityUtils.toString(response.getEntity()));
          } finally {
            segment.close();
          }
        }));
      }
      for (Future<?> call : done) {
        call.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<JsonNode> documents = fixture.receive(calls);
    assertEachCallUnderItsOwnSegment(documents, "c", calls, backend);
  }

  @Test
  void anUnsampledRequestSendsItsDecisionOnAndRecordsNothing() throws Exception {
    Segment segment = recorder.beginSegment("caller", CallAssertions.UNSAMPLED_UPSTREAM);
    client.execute(new HttpGet(backend.uri("id=unsampled")), response -> response.getCode());
    segment.close();

    assertSentUnsampled(backend.headers("unsampled"));
    assertThat(fixture.receiveRest()).isEmpty();
  }

  @Test
  void withoutASegmentTheRequestGoesOutWithoutHeadersAndNothingIsSent() throws Exception {
    int code = client.execute(new HttpGet(backend.uri("id=untraced")), response -> response.getCode());

    assertThat(code).isEqualTo(200);
    assertThat(backend.headers("untraced").amazon()).isNull();
    assertThat(backend.headers("untraced").traceparent()).isNull();
    assertThat(fixture.receiveRest()).isEmpty();
  }

  @Test
  void instrumentingABuilderTwiceRecordsEachCallOnce() throws Exception {
    HttpClientBuilder builder = plainBuilder();
    assertThat(RadiographHttpClient5.instrument(builder, recorder)).isSameAs(builder);
    RadiographHttpClient5.instrument(builder, recorder);
    try (CloseableHttpClient twice = builder.build()) {
      Segment segment = recorder.beginSegment("caller");
      twice.execute(new HttpGet(backend.uri("id=twice")), response -> response.getCode());
      segment.close();
    }

    JsonNode document = fixture.receiveSegment();
    assertSentWithParent(backend.headers("twice"), document, onlyCall(document));
  }

  @Test
  void aClientForOneServiceNamesItsCallsAfterTheService() throws Exception {
    try (CloseableHttpClient named = RadiographHttpClient5.instrument(plainBuilder(), recorder, "catalog").build()) {
      Segment segment = recorder.beginSegment("caller");
      named.execute(new HttpGet(backend.uri("id=named")), response -> response.getCode());
      segment.close();
    }

    JsonNode call = onlyCall(fixture.receiveSegment());
    assertThat(call.get("name").asText()).isEqualTo("catalog");
    assertThat(call.get("namespace").asText()).isEqualTo("remote");
  }

  @Test
  void theOneArgumentFormRecordsWithTheGlobalRecorderInstalledAfterTheClientWasBuilt() throws Exception {
    try (CloseableHttpClient global = RadiographHttpClient5.instrument(plainBuilder()).build()) {
      Radiograph.setRecorder(recorder);
      Segment segment = recorder.beginSegment("caller");
      global.execute(new HttpGet(backend.uri("id=global")), response -> response.getCode());
      segment.close();
    }

    JsonNode document = fixture.receiveSegment();
    assertSentWithParent(backend.headers("global"), document, onlyCall(document));
  }
}

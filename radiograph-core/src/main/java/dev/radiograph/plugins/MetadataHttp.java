package dev.radiograph.plugins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The HTTP calls plugins make to metadata endpoints: one request, one small answer, a hard deadline.
 *
 * <p>RATIONALE: {@link HttpClient} rather than {@code HttpURLConnection} because a call must end
 * at its deadline whatever the server does: a connect timeout plus a read timeout per read lets a
 * server that connects, or answers a byte at a time, hold the caller for far longer; waiting on
 * the asynchronous answer with a timeout does not. No proxy (metadata endpoints are link-local or
 * in-cluster addresses, and an {@code http.proxyHost} set for the application must not capture
 * them), no redirects, HTTP/1.1 (no {@code h2c} upgrade), and answers above {@value
 * #MAX_BODY_BYTES} bytes are refused.
 */
final class MetadataHttp {
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpClient client;
  private final Duration timeout;

  MetadataHttp(Duration timeout, SSLContext sslContext) {
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(HttpClient.Builder.NO_PROXY)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.client = builder.build();
  }

  /** An answer: its status and its body. */
  static final class Response {
    final int status;
    final byte[] body;

    Response(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }
  }

  /**
   * Sends {@code method} (without a body) to {@code uri} with the header name/value pairs and
   * waits at most the timeout for the whole answer.
   *
   * @throws HttpTimeoutException if there is no whole answer within the timeout
   * @throws IOException if the server cannot be reached or the answer is too large
   */
  Response send(String method, URI uri, String... headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    CompletableFuture<HttpResponse<byte[]>> answer =
        client.sendAsync(request.build(), info -> new LimitedBody(MAX_BODY_BYTES));
    try {
      HttpResponse<byte[]> response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Response(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
      } else if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /** Collects a body of at most {@code limit} bytes; a larger one fails the call. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        if (bytes.size() + (long) n > limit) {
          subscription.cancel();
          result.completeExceptionally(new IOException("answer larger than " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[n];
        buffer.get(chunk);
        bytes.write(chunk, 0, n);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}

package dev.radiograph.daemon.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deadlines that a slow or stalled client cannot stretch by sending a byte now and then (which
 * resets an idle timeout): a request's body must have arrived within the timeout of its headers
 * (else 408 and the connection is closed), and on a kept-alive HTTP/1 connection the next
 * request's headers within the timeout of the previous answer (else the connection is closed).
 *
 * <p>The event loop holds no thread for a slow client, so these bound only how long its socket
 * stays open. The first request's headers on a new connection are bounded by the server's idle
 * timeout and header size limit: Vert.x makes the connection object, which these timers need,
 * only once those headers are in.
 */
final class RequestDeadlines {
  private static final String BODY_TIMER = "radiograph.bodyTimer";

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Long> awaitingRequest = new ConcurrentHashMap<>();

  RequestDeadlines(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** For {@code HttpServer.connectionHandler}: forget the connection's timer when it closes. */
  void connected(HttpConnection connection) {
    connection.closeHandler(v -> cancel(awaitingRequest.remove(connection)));
  }

  /** The first handler of every request: its headers are in, its body is to come. */
  void headersRead(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    cancel(awaitingRequest.remove(connection));
    long timer = vertx.setTimer(timeoutMillis, id -> bodyTimedOut(ctx));
    ctx.put(BODY_TIMER, timer);
    ctx.addEndHandler(done -> {
      bodyRead(ctx);
      if (request.version() != HttpVersion.HTTP_2 && !ctx.response().closed()) {
        awaitNextRequest(connection);
      }
    });
    ctx.next();
  }

  /** After the body handler: the whole body is in. */
  void bodyRead(RoutingContext ctx) {
    Long timer = ctx.remove(BODY_TIMER);
    cancel(timer);
  }

  private void bodyTimedOut(RoutingContext ctx) {
    if (ctx.<Long>remove(BODY_TIMER) == null) {
      return;
    }
    boolean http2 = ctx.request().version() == HttpVersion.HTTP_2;
    if (ctx.response().headWritten()) {
      if (http2) {
        ctx.response().reset();
      }
    } else {
      if (!http2) {
        ctx.response().putHeader("Connection", "close");
      }
      ApiReplies.error(ctx, 408, "RequestTimeoutException",
          "the request body did not arrive within " + timeoutMillis + " ms");
    }
    if (!http2) {
      ctx.request().connection().close(); // HTTP/2: only this stream; the others on the connection go on
    }
  }

  private void awaitNextRequest(HttpConnection connection) {
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (awaitingRequest.remove(connection, id)) {
        connection.close();
      }
    });
    cancel(awaitingRequest.put(connection, timer));
  }

  private void cancel(Long timer) {
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}

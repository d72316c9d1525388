package dev.radiograph.vertx;

import dev.radiograph.RecorderBuilder;
import dev.radiograph.Recorder;
import dev.radiograph.TraceHeader;
import dev.radiograph.http.HttpServerTracing;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;

/** Entry points of the Vert.x integration; see {@link RadiographTracerFactory} to install it. */
public final class RadiographVertx {
  private RadiographVertx() {}

  /**
   * A recorder builder whose current entity lives on the Vert.x context
   * ({@link VertxSegmentContext}). {@code Recorder.builder()} does the same while this module is
   * on the class path ({@link VertxSegmentContextProvider}); this one says so explicitly.
   */
  public static RecorderBuilder recorderBuilder() {
    return Recorder.builder().segmentContext(VertxSegmentContext.create());
  }

  /**
   * Wraps a server's request handler (a {@code Router} is one) so that each traced response
   * carries {@code X-Amzn-Trace-Id}: the trace's root, and the sampling decision when the caller
   * asked for it with {@code Sampled=?}. Needed for HTTP/1.x only, where Vert.x tells the tracer of
   * a request before it has made the response; HTTP/2 responses get the header without it.
   *
   * <pre>{@code
   * vertx.createHttpServer().requestHandler(RadiographVertx.withResponseHeader(router)).listen(8080);
   * }</pre>
   */
  public static Handler<HttpServerRequest> withResponseHeader(Handler<HttpServerRequest> handler) {
    Objects.requireNonNull(handler, "handler");
    return request -> {
      try {
        Context context = Vertx.currentContext();
        HttpServerTracing.Request traced = context != null ? ContextLocals.SERVER_REQUEST.get(context) : null;
        if (traced != null) {
          request.response().putHeader(TraceHeader.HEADER_NAME, traced.responseHeader());
        }
      } catch (RuntimeException e) {
        // The header is a courtesy to the caller; the request must go on without it.
      }
      handler.handle(request);
    };
  }
}

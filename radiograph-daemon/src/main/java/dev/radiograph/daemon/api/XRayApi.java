package dev.radiograph.daemon.api;

import dev.radiograph.daemon.sampling.SamplingProxy;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.TraceStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The daemon's HTTP side as a Vert.x {@link Router}: the AWS X-Ray API paths and JSON (so the AWS
 * SDKs and CLI work against it with an endpoint override), the daemon's own counters, and the
 * viewer's files and settings; one handler class per operation. Every bad request gets a 4xx with
 * X-Ray's error shape and a message that says what is wrong; nothing a client sends can take the
 * daemon down.
 *
 * <p>Each request goes through, in order: its deadline ({@link RequestDeadlines}), the
 * {@link AccessPolicy} (before any body is read), the body (at most {@value #MAX_BODY_BYTES}
 * bytes, else 413), then its operation. Operations touch the store, so they run on a worker pool
 * of {@value #WORKERS} threads, never on the event loop; at most {@value #MAX_QUEUED} wait or run
 * at once, more get 429 (the AWS SDKs retry it). Other handlers (OTLP/HTTP, gRPC ingest) can be
 * mounted on the same router and are checked the same way.
 */
public final class XRayApi {
  /** The largest request body: 50 documents of 64 KB, escaped, fit well within it. */
  public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  /** Paths that SDKs call and that need no token: ingest and sampling. */
  public static final Set<String> SDK_PATHS = Set.of("/TraceSegments", "/GetSamplingRules", "/SamplingTargets");

  private static final int WORKERS = 4;
  private static final int MAX_QUEUED = 64;

  private final Vertx vertx;
  private final TraceStore store;
  private final SamplingProxy sampling;
  private final Consumer<DocumentSummary> forward;
  private final UnaryOperator<byte[]> remoteRules;
  private final UnaryOperator<byte[]> remoteTargets;
  private final byte[] viewerSettings;
  private final ViewerFiles viewerFiles = new ViewerFiles();
  private final GroupRegistry groups = new GroupRegistry();
  private final AccessPolicy access;
  private final RequestDeadlines deadlines;
  private final WorkerExecutor workers;
  private final Semaphore queued = new Semaphore(MAX_QUEUED);

  /**
   * @param forward receives documents put through {@code PutTraceSegments}, or null
   * @param remoteRules when forwarding to AWS, answers {@code GetSamplingRules} from AWS; or null
   * @param remoteTargets when forwarding to AWS, answers {@code SamplingTargets} from AWS; or null
   * @param logsUrl the viewer's link to the user's log search, or null
   * @param access who may call
   * @param requestTimeoutMillis how long a request's body, and the next request on a connection, may take to arrive
   */
  public XRayApi(Vertx vertx, TraceStore store, SamplingProxy sampling, Consumer<DocumentSummary> forward,
      UnaryOperator<byte[]> remoteRules, UnaryOperator<byte[]> remoteTargets, LogsUrlTemplate logsUrl,
      AccessPolicy access, long requestTimeoutMillis) {
    this.vertx = vertx;
    this.store = store;
    this.sampling = sampling;
    this.forward = forward;
    this.remoteRules = remoteRules;
    this.remoteTargets = remoteTargets;
    this.viewerSettings = ViewerSettings.of(logsUrl);
    this.access = access;
    this.deadlines = new RequestDeadlines(vertx, requestTimeoutMillis);
    this.workers = vertx.createSharedWorkerExecutor("radiograph-daemon-api", WORKERS);
  }

  /** For the server's {@code connectionHandler}. */
  public void connected(HttpConnection connection) {
    deadlines.connected(connection);
  }

  /** The router: checks first, then the operations, then X-Ray-shaped 404, 405 and 413 answers. */
  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(deadlines::headersRead);
    router.route().handler(access);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.route().handler(ctx -> {
      deadlines.bodyRead(ctx);
      ctx.next();
    });

    post(router, "/TraceSegments", new PutTraceSegments(store, forward));
    post(router, "/TraceSummaries", new GetTraceSummaries(store, groups));
    post(router, "/Traces", new BatchGetTraces(store));
    post(router, "/ServiceGraph", new GetServiceGraph(store, groups));
    post(router, "/TraceGraph", new GetTraceGraph(store));
    post(router, "/TimeSeriesServiceStatistics", new GetTimeSeriesServiceStatistics(store, groups));
    post(router, "/CreateGroup", new CreateGroup(groups));
    post(router, "/GetGroup", new GetGroup(groups));
    post(router, "/Groups", new GetGroups(groups));
    post(router, "/UpdateGroup", new UpdateGroup(groups));
    post(router, "/DeleteGroup", new DeleteGroup(groups));
    post(router, "/radiograph/histogram", body -> ResponseTimeHistogram.answer(body, store));
    post(router, "/GetSamplingRules", new GetSamplingRules(sampling, remoteRules));
    post(router, "/SamplingTargets", new GetSamplingTargets(sampling, remoteTargets));
    LocalSamplingRules localRules = new LocalSamplingRules(sampling, remoteRules != null);
    post(router, "/CreateSamplingRule", new CreateSamplingRule(localRules));
    post(router, "/UpdateSamplingRule", new UpdateSamplingRule(localRules));
    post(router, "/DeleteSamplingRule", new DeleteSamplingRule(localRules));
    post(router, "/SamplingStatisticSummaries", new GetSamplingStatisticSummaries(localRules));
    get(router, "/radiograph/stats").handler(ctx -> run(ctx, new DaemonStats(store, sampling)));
    get(router, "/radiograph/viewer-settings").handler(ctx -> ApiReplies.json(ctx, viewerSettings));
    get(router, "/").handler(this::viewerFile);
    get(router, "/index.html").handler(this::viewerFile);
    get(router, "/viewer/*").handler(this::viewerFile);

    router.errorHandler(404, ctx -> {
      String path = ctx.request().path();
      if (ctx.request().method() == HttpMethod.POST) {
        ApiReplies.error(ctx, 404, "InvalidRequestException", "no X-Ray API at " + path);
      } else {
        ApiReplies.error(ctx, 404, "NotFound", "nothing at " + path);
      }
    });
    router.errorHandler(405, ctx -> ApiReplies.error(ctx, 405, "InvalidRequestException",
        "use POST for the X-Ray API, GET for the viewer"));
    // What a handler failed with, and the body handler's 413; a failure handler rather than the
    // router's error handlers, so that a client gone mid-request is not logged as a server error.
    router.route().failureHandler(ctx -> {
      if (ctx.statusCode() == 413) {
        // The rest of the body is not read: the connection cannot carry another request.
        if (ctx.request().version() != HttpVersion.HTTP_2) {
          ctx.response().putHeader("Connection", "close").endHandler(v -> ctx.request().connection().close());
        }
        ApiReplies.error(ctx, 413, "InvalidRequestException", "request body larger than " + MAX_BODY_BYTES + " bytes");
      } else if (ctx.failure() != null) {
        ApiReplies.failure(ctx, ctx.failure());
      } else {
        ApiReplies.error(ctx, ctx.statusCode(), "InvalidRequestException", "the request could not be read");
      }
    });
    return router;
  }

  private void post(Router router, String path, Operation operation) {
    router.post(path).handler(ctx -> run(ctx, operation));
  }

  private static io.vertx.ext.web.Route get(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /** Runs {@code operation} on the worker pool and answers on the event loop. */
  private void run(RoutingContext ctx, Operation operation) {
    if (!queued.tryAcquire()) {
      ctx.response().putHeader("Retry-After", "1");
      ApiReplies.error(ctx, 429, "ThrottledException", "the daemon is busy with " + MAX_QUEUED
          + " requests; try again");
      return;
    }
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer != null ? buffer.getBytes() : new byte[0];
    workers.executeBlocking(() -> operation.answer(body), false).onComplete(result -> {
      queued.release();
      if (result.succeeded()) {
        ApiReplies.json(ctx, result.result());
      } else {
        ApiReplies.failure(ctx, result.cause());
      }
    });
  }

  private void viewerFile(RoutingContext ctx) {
    String path = ctx.request().path();
    workers.executeBlocking(() -> viewerFiles.file(path), false).onComplete(result -> {
      if (result.failed()) {
        ApiReplies.failure(ctx, result.cause());
        return;
      }
      Optional<ViewerFiles.File> file = result.result();
      if (file.isEmpty()) {
        ApiReplies.error(ctx, 404, "NotFound", "nothing at " + path);
      } else {
        ApiReplies.send(ctx, 200, file.get().contentType(), file.get().content());
      }
    });
  }

  /** Releases the worker pool. */
  public void close() {
    workers.close();
  }
}

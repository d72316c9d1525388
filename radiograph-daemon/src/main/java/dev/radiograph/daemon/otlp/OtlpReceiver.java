package dev.radiograph.daemon.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.daemon.log.RateLimitedLogger;
import dev.radiograph.otlp.wire.ProtobufWriter;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The daemon's OTLP receiver: OTLP/HTTP {@code POST /v1/traces} (protobuf or JSON, gzip or not)
 * and OTLP/gRPC {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}. Every span
 * becomes an X-Ray document ({@link OtlpToXRay}) that is stored and forwarded like one that
 * arrived over UDP.
 *
 * <p>A payload that cannot be decoded is answered 400 (gRPC: {@code INVALID_ARGUMENT}) with the
 * reason; spans that cannot be converted are reported as OTLP's partial success
 * ({@code rejected_spans}, {@code error_message}). Bodies are limited to
 * {@value #MAX_BODY_BYTES} bytes, before and after decompression.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** The largest request body accepted, compressed or not. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  static final String PATH = "/v1/traces";
  private static final ServiceName SERVICE = ServiceName.create("opentelemetry.proto.collector.trace.v1", "TraceService");
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final TraceStore store;
  private final Consumer<DocumentSummary> forward;
  private final RateLimitedLogger rejectLog =
      new RateLimitedLogger(System.getLogger(OtlpReceiver.class.getName()), 60_000);
  private HttpServer http;
  private HttpServer grpc;

  private OtlpReceiver(Vertx vertx, boolean ownsVertx, TraceStore store, Consumer<DocumentSummary> forward) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.store = store;
    this.forward = forward;
  }

  /**
   * Starts the servers.
   *
   * @param vertx the daemon's Vert.x, or null to create one (closed with the receiver)
   * @param httpAddress where OTLP/HTTP listens, or null for none
   * @param grpcAddress where OTLP/gRPC listens, or null for none
   * @param forward called with every accepted document (forwarding), or null
   * @throws BindException when an address is in use
   */
  public static OtlpReceiver start(Vertx vertx, InetSocketAddress httpAddress, InetSocketAddress grpcAddress,
      TraceStore store, Consumer<DocumentSummary> forward) throws IOException {
    OtlpReceiver receiver = new OtlpReceiver(vertx != null ? vertx : Vertx.vertx(), vertx == null, store, forward);
    try {
      if (httpAddress != null) {
        receiver.http = receiver.listen(httpAddress, receiver::handleHttp, "--otlp-http");
      }
      if (grpcAddress != null) {
        GrpcServer server = GrpcServer.server(receiver.vertx, new GrpcServerOptions().setMaxMessageSize(MAX_BODY_BYTES));
        server.callHandler(
            ServiceMethod.server(SERVICE, "Export", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY),
            call -> call.handler(message -> receiver.handleGrpc(call.response(), message)));
        receiver.grpc = receiver.listen(grpcAddress, server, "--otlp-grpc");
      }
    } catch (IOException | RuntimeException e) {
      receiver.close();
      throw e;
    }
    return receiver;
  }

  private HttpServer listen(InetSocketAddress address, io.vertx.core.Handler<HttpServerRequest> handler, String flag)
      throws IOException {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(address.getAddress().getHostAddress())
        .setPort(address.getPort());
    try {
      return vertx.createHttpServer(options).requestHandler(handler).listen()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      BindException bind = new BindException("cannot listen on TCP " + address.getAddress().getHostAddress() + ":"
          + address.getPort() + ": " + e.getCause().getMessage() + " (choose another with " + flag + ", or off)");
      bind.initCause(e.getCause());
      throw bind;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + flag, e);
    } catch (TimeoutException e) {
      throw new IOException("timed out starting " + flag, e);
    }
  }

  /** The OTLP/HTTP port, or -1 when it is off. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** The OTLP/gRPC port, or -1 when it is off. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.actualPort();
  }

  private void handleHttp(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      reply(request, 404, "text/plain", "not found: OTLP traces are posted to " + PATH);
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request.response().putHeader("Allow", "POST");
      reply(request, 405, "text/plain", "use POST");
      return;
    }
    if (!hostAllowed(request)) {
      reply(request, 403, "text/plain", "this Host is not allowed");
      return;
    }
    String contentType = mediaType(request.getHeader("Content-Type"));
    if (!PROTOBUF.equals(contentType) && !JSON.equals(contentType)) {
      reply(request, 415, "text/plain", "Content-Type must be " + PROTOBUF + " or " + JSON);
      return;
    }
    String encoding = request.getHeader("Content-Encoding");
    boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
      reply(request, 415, "text/plain", "Content-Encoding must be gzip or identity");
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        refused[0] = true;
        tooLarge(request);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(done -> {
      if (refused[0]) {
        return;
      }
      vertx.executeBlocking(() -> answer(body.getBytes(), gzip, JSON.equals(contentType)), false)
          .onComplete(result -> {
            if (result.succeeded()) {
              reply(request, result.result().status, contentType, result.result().body);
            } else {
              reply(request, 500, "text/plain", "could not handle the request");
            }
          });
    });
  }

  private void tooLarge(HttpServerRequest request) {
    store.rejectOversize();
    request.response().putHeader("Connection", "close");
    reply(request, 413, "text/plain", "the body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  /** What an OTLP/HTTP request is answered: the status and the encoded response or Status. */
  private record Answer(int status, byte[] body) {}

  private Answer answer(byte[] body, boolean gzip, boolean json) {
    ExportTraceServiceRequest request;
    try {
      byte[] raw = gzip ? gunzip(body) : body;
      request = json ? OtlpJson.parseRequest(new String(raw, StandardCharsets.UTF_8))
          : ExportTraceServiceRequest.parseFrom(raw);
    } catch (IOException | IllegalArgumentException e) {
      store.rejectMalformed();
      String reason = "cannot decode the " + (json ? "OTLP JSON" : "OTLP protobuf") + " request: " + e.getMessage();
      rejectLog.log(Level.INFO, "Radiograph daemon: " + reason);
      return new Answer(400, json ? OtlpJson.status(3, reason).getBytes(StandardCharsets.UTF_8) : rpcStatus(3, reason));
    }
    ExportTraceServiceResponse response = accept(request);
    return new Answer(200, json ? OtlpJson.response(response).getBytes(StandardCharsets.UTF_8) : response.toByteArray());
  }

  private void handleGrpc(io.vertx.grpc.server.GrpcServerResponse<Buffer, Buffer> response, Buffer message) {
    vertx.executeBlocking(() -> {
      try {
        return accept(ExportTraceServiceRequest.parseFrom(message.getBytes()));
      } catch (InvalidProtocolBufferException e) {
        store.rejectMalformed();
        throw new IllegalArgumentException("cannot decode the OTLP request: " + e.getMessage(), e);
      }
    }, false).onComplete(result -> {
      if (result.succeeded()) {
        response.send(Buffer.buffer(result.result().toByteArray()));
      } else {
        response.status(result.cause() instanceof IllegalArgumentException ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL)
            .statusMessage(result.cause().getMessage())
            .end();
      }
    });
  }

  /**
   * Converts, stores and forwards the spans of one request; what could not be used is reported
   * as a partial success.
   */
  public ExportTraceServiceResponse accept(ExportTraceServiceRequest request) {
    OtlpToXRay.Result result = OtlpToXRay.convert(request);
    long rejected = result.rejected();
    String error = result.errorMessage();
    for (String text : result.documents()) {
      DocumentSummary document;
      try {
        document = DocumentSummary.parse(text);
      } catch (IllegalArgumentException e) {
        rejected++;
        error = error == null ? e.getMessage() : error;
        continue;
      }
      store.add(document);
      if (forward != null) {
        forward.accept(document);
      }
    }
    for (long i = 0; i < rejected; i++) {
      store.rejectMalformed();
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0) {
      rejectLog.log(Level.INFO, "Radiograph daemon: rejected " + rejected + " OTLP spans: " + error);
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rejected).setErrorMessage(error == null ? "" : error));
    }
    return response.build();
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
      if (raw.length > MAX_BODY_BYTES) {
        throw new IOException("the decompressed body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return raw;
    }
  }

  /** A {@code google.rpc.Status} (code, message): the body of OTLP/HTTP's error answers. */
  private static byte[] rpcStatus(int code, String message) {
    ProtobufWriter w = new ProtobufWriter(64 + message.length());
    w.varintField(1, code, false);
    w.string(2, message);
    return w.toByteArray();
  }

  /**
   * On a loopback address, only loopback names: a web page that rebinds its own name to
   * 127.0.0.1 must not post traces (the browser sends its name as Host).
   */
  private static boolean hostAllowed(HttpServerRequest request) {
    if (request.authority() == null || !isLoopback(request.localAddress().hostAddress())) {
      return true;
    }
    String host = request.authority().host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.equalsIgnoreCase("localhost") || isLoopback(host);
  }

  private static boolean isLoopback(String address) {
    return address != null && (address.startsWith("127.") || address.equals("::1")
        || address.equals("0:0:0:0:0:0:0:1"));
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static void reply(HttpServerRequest request, int status, String contentType, String text) {
    reply(request, status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void reply(HttpServerRequest request, int status, String contentType, byte[] body) {
    if (request.response().ended()) {
      return;
    }
    request.response().setStatusCode(status).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
  }

  @Override
  public void close() {
    // One after the other, each awaited from this thread: a callback chained onto a closing
    // Vert.x would be scheduled on an event loop that is already gone.
    if (http != null) {
      await(http.close());
    }
    if (grpc != null) {
      await(grpc.close());
    }
    if (ownsVertx) {
      await(vertx.close());
    }
  }

  private static void await(Future<Void> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Closing is best effort: the process is going away or the test is over.
    }
  }
}

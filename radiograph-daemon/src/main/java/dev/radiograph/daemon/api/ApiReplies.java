package dev.radiograph.daemon.api;

import dev.radiograph.daemon.forward.SamplingProxyException;
import dev.radiograph.daemon.json.JsonOutput;
import dev.radiograph.daemon.json.JsonSyntaxException;
import dev.radiograph.daemon.query.FilterSyntaxException;
import dev.radiograph.daemon.sampling.RuleLimitException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** How the API answers: bodies with their content type, and errors in X-Ray's shape. */
final class ApiReplies {
  private static final Logger LOG = System.getLogger(XRayApi.class.getName());

  private ApiReplies() {}

  static void json(RoutingContext ctx, byte[] body) {
    send(ctx, 200, "application/json", body);
  }

  static void send(RoutingContext ctx, int status, String contentType, byte[] body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return; // the deadline answered already, or the client went away
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", "no-store");
    if (ctx.request().method() == HttpMethod.HEAD) {
      // The headers a GET would have, and no body: Vert.x would write one, and the client would
      // read it as the start of the next answer.
      response.putHeader("Content-Length", Integer.toString(body.length)).end();
    } else {
      response.end(Buffer.buffer(body));
    }
  }

  /**
   * X-Ray's error answer: {@code {"__type": type, "message": message}} and the
   * {@code x-amzn-ErrorType} header, which the AWS SDKs read.
   */
  static void error(RoutingContext ctx, int status, String type, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().putHeader("x-amzn-ErrorType", type);
    send(ctx, status, "application/json", new JsonOutput().beginObject()
        .name("__type").value(type)
        .name("message").value(message)
        .endObject().toByteArray());
  }

  /** Answers a failed operation: what the client got wrong is a 400, anything else a logged 500. */
  static void failure(RoutingContext ctx, Throwable failure) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return; // the client went away (or a deadline answered): nobody to tell, nothing wrong here
    }
    if (failure instanceof SamplingProxyException) {
      SamplingProxyException e = (SamplingProxyException) failure;
      error(ctx, e.statusCode(), e.errorType(), e.getMessage());
    } else if (failure instanceof RuleLimitException) {
      error(ctx, 400, "RuleLimitExceededException", failure.getMessage());
    } else if (failure instanceof FilterSyntaxException) {
      error(ctx, 400, "InvalidRequestException", "FilterExpression " + failure.getMessage());
    } else if (failure instanceof JsonSyntaxException) {
      error(ctx, 400, "InvalidRequestException", "request body is not valid JSON: " + failure.getMessage());
    } else if (failure instanceof IllegalArgumentException) {
      error(ctx, 400, "InvalidRequestException", failure.getMessage());
    } else {
      LOG.log(Level.WARNING, "Radiograph daemon: request failed", failure);
      error(ctx, 500, "InternalFailure", "the daemon failed to answer: " + failure);
    }
  }
}

package dev.radiograph.daemon.api;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the daemon over HTTP, checked before a request's body is read. Every trace holds
 * URLs, SQL and user names, and any web page the developer opens can reach {@code 127.0.0.1}, so:
 *
 * <ul>
 *   <li><b>Host allowlist</b> against DNS rebinding (a page on {@code evil.example} whose name
 *       now resolves to 127.0.0.1): only loopback names and addresses, those that
 *       {@code --allow-remote} names, and the bound address are served; others get 403.
 *   <li><b>No cross-site requests</b>: a browser request whose {@code Origin} is not the daemon's
 *       own origin, or whose {@code Sec-Fetch-Site} is {@code cross-site} or {@code same-site}
 *       (another port of the same host), gets 403 on every path. Only a top-level navigation to
 *       the viewer's page is let through (a link to it), which the page's
 *       {@code frame-ancestors 'none'} keeps out of frames.
 *   <li><b>JSON only from browsers</b>: a browser's POST (it sends {@code Origin} or
 *       {@code Sec-Fetch-*}) must be {@code application/json}, the one type a page cannot send
 *       cross-origin without a preflight; others get 415.
 *   <li><b>A token</b> when one is set ({@code --allow-remote} sets one): the viewer and the
 *       query API need {@code Authorization: Bearer TOKEN}, or the cookie that opening
 *       {@code /?token=TOKEN} sets ({@code HttpOnly}, {@code SameSite=Strict}). Ingest and
 *       sampling (the {@code openPaths}) stay open: SDKs know no token.
 * </ul>
 *
 * Every answer also carries the headers that keep the viewer out of frames and the browser from
 * guessing types: the Content-Security-Policy, {@code X-Frame-Options: DENY},
 * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and
 * {@code Cross-Origin-Resource-Policy: same-origin}.
 */
public final class AccessPolicy implements Handler<RoutingContext> {
  /** The viewer's policy: everything from the daemon itself, no inline script, never framed. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'";
  /** Names and addresses that are this machine, always served. */
  static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

  private final Set<String> allowedHosts;
  private final byte[] token; // null: none needed
  private final Set<String> openPaths;

  /**
   * @param allowedHosts host names and addresses (lower case, IPv6 without brackets) served besides
   *     {@link #LOOPBACK_HOSTS}
   * @param token what the viewer and query API need, or null for nothing
   * @param openPaths paths that need no token: ingest and sampling, which SDKs call
   */
  public AccessPolicy(Set<String> allowedHosts, String token, Set<String> openPaths) {
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.token = token != null ? token.getBytes(StandardCharsets.UTF_8) : null;
    this.openPaths = Set.copyOf(openPaths);
  }

  /** A host as the allowlist holds it: lower case, an IPv6 address without its brackets. */
  public static String normalizeHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Resource-Policy", "same-origin");
    HostAndPort authority = request.authority();
    if (authority == null || authority.host() == null || authority.host().isEmpty()) {
      forbid(ctx, "a Host header is required");
      return;
    }
    String host = normalizeHost(authority.host());
    if (!LOOPBACK_HOSTS.contains(host) && !allowedHosts.contains(host)) {
      forbid(ctx, "this daemon does not answer to Host '" + authority.host() + "' (a protection against DNS"
          + " rebinding); use 127.0.0.1 or localhost, or name it with --allow-remote");
      return;
    }
    String refusal = crossSite(request, authority);
    if (refusal != null) {
      forbid(ctx, refusal);
      return;
    }
    if (fromBrowser(request) && request.method() == HttpMethod.POST && !isJson(request.getHeader("Content-Type"))) {
      ApiReplies.error(ctx, 415, "InvalidRequestException",
          "the X-Ray API takes Content-Type: application/json from a browser");
      return;
    }
    if (token != null && !openPaths.contains(request.path()) && !authorized(ctx)) {
      return;
    }
    ctx.next();
  }

  /** Why a request is refused as cross-site, or null if it is not. */
  private static String crossSite(HttpServerRequest request, HostAndPort authority) {
    if (isViewerNavigation(request)) {
      return null;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !sameOrigin(origin, authority)) {
      return "a cross-origin request (Origin: " + origin + ") is refused: only the viewer's own pages may call the daemon";
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return "a " + site + " request is refused: only the viewer's own pages may call the daemon";
    }
    return null;
  }

  /** A link followed to the viewer's page, the one thing another site may lead a browser to. */
  private static boolean isViewerNavigation(HttpServerRequest request) {
    String path = request.path();
    String mode = request.getHeader("Sec-Fetch-Mode");
    String dest = request.getHeader("Sec-Fetch-Dest");
    return request.method() == HttpMethod.GET && (path.equals("/") || path.equals("/index.html"))
        && request.getHeader("Origin") == null
        && (mode == null || mode.equals("navigate")) && (dest == null || dest.equals("document"));
  }

  private static boolean sameOrigin(String origin, HostAndPort authority) {
    try {
      URI uri = new URI(origin);
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        return false;
      }
      int originPort = uri.getPort() < 0 ? 80 : uri.getPort();
      int ownPort = authority.port() < 0 ? 80 : authority.port();
      return normalizeHost(uri.getHost()).equals(normalizeHost(authority.host())) && originPort == ownPort;
    } catch (java.net.URISyntaxException e) {
      return false; // "null" (a sandboxed frame, a file) and anything unreadable
    }
  }

  private static boolean fromBrowser(HttpServerRequest request) {
    if (request.getHeader("Origin") != null) {
      return true;
    }
    for (String name : request.headers().names()) {
      if (name.regionMatches(true, 0, "Sec-Fetch-", 0, 10)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.equals("application/x-amz-json-1.1");
  }

  /**
   * Whether the request carries the token; answers it otherwise (401, or, for {@code ?token=} on
   * the viewer's page, the cookie and a redirect that takes the token out of the address bar).
   */
  private boolean authorized(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && matches(authorization.substring(7).trim())) {
      return true;
    }
    Cookie cookie = request.getCookie(cookieName(request));
    if (cookie != null && matches(cookie.getValue())) {
      return true;
    }
    String offered = request.getParam("token");
    if (offered != null && request.method() == HttpMethod.GET && matches(offered)) {
      ctx.response().addCookie(Cookie.cookie(cookieName(request), offered)
          .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT));
      ctx.response().setStatusCode(303).putHeader("Location", request.path()).putHeader("Cache-Control", "no-store").end();
      return false;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"radiograph\"");
    ApiReplies.error(ctx, 401, "AccessDeniedException", "this daemon needs its token: open the viewer URL it"
        + " printed at start-up (/?token=...), or send Authorization: Bearer TOKEN");
    return false;
  }

  private boolean matches(String offered) {
    return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
  }

  /** One cookie per port: browsers share cookies between the ports of a host. */
  private static String cookieName(HttpServerRequest request) {
    return "radiograph-token-" + request.localAddress().port();
  }

  private static void forbid(RoutingContext ctx, String message) {
    ApiReplies.error(ctx, 403, "AccessDeniedException", message);
  }
}

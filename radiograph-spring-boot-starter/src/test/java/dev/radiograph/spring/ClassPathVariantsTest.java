package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.TraceHeader;
import dev.radiograph.TraceId;
import dev.radiograph.spring.bare.BareApplication;
import dev.radiograph.spring.reactive.ReactiveApplication;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The starter in applications that lack what the test class path has, each started in a class
 * loader of its own over the test's class path less some jars: a servlet application without
 * WebFlux, Reactor, Spring Boot's WebClient support or context-propagation; a reactive one without
 * Spring MVC, the servlet API or Tomcat. Each starts, traces its requests, and has none of the
 * other kind's parts.
 */
class ClassPathVariantsTest {
  private static final Pattern REACTIVE_JARS = Pattern.compile(
      "(spring-webflux|spring-boot-webflux|spring-boot-webclient|spring-boot-reactor|spring-boot-reactor-netty"
          + "|spring-boot-starter-webflux|spring-boot-starter-webclient|spring-boot-starter-reactor-netty"
          + "|reactor-core|reactor-netty-core|reactor-netty-http|context-propagation)-[0-9].*\\.jar");
  private static final Pattern SERVLET_JARS = Pattern.compile(
      "(spring-webmvc|spring-boot-webmvc|spring-boot-starter-webmvc|spring-boot-tomcat|spring-boot-starter-tomcat"
          + "|spring-boot-servlet|jakarta\\.servlet-api|tomcat-embed-[a-z]+)-[0-9].*\\.jar");

  @Test
  void aServletApplicationWithoutWebFluxStartsAndIsTraced() throws Exception {
    try (Application app = Application.start(REACTIVE_JARS, "reactor/core/publisher/Mono.class", BareApplication.class,
        "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")) {
      assertThat(app.containsBean("radiographFilter")).isTrue();
      assertThat(app.containsBean("radiographWebFilter")).isFalse();
      assertThat(app.containsBean("radiographWebClient")).isFalse();
      HttpResponse<String> response = app.get("/nothing-here", TraceId.create().toString());
      assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME)).isPresent();
    }
  }

  @Test
  void aReactiveApplicationWithoutSpringMvcOrTheServletApiStartsAndIsTraced() throws Exception {
    String traceId = TraceId.create().toString();
    try (Application app = Application.start(SERVLET_JARS, "jakarta/servlet/Filter.class", ReactiveApplication.class,
        "--directory.url=http://127.0.0.1:9")) {
      assertThat(app.containsBean("radiographWebFilter")).isTrue();
      assertThat(app.containsBean("radiographFilter")).isFalse();
      HttpResponse<String> response = app.get("/hop", traceId);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue(TraceHeader.HEADER_NAME)).hasValue("Root=" + traceId);
      assertThat(response.body()).contains(traceId); // the segment was current after publishOn
    }
  }

  /** A Spring Boot application run through reflection in its own class loader. */
  private static final class Application implements AutoCloseable {
    private final URLClassLoader loader;
    private final AutoCloseable context;
    private final ClassLoader previous;

    private Application(URLClassLoader loader, AutoCloseable context, ClassLoader previous) {
      this.loader = loader;
      this.context = context;
      this.previous = previous;
    }

    /** Starts {@code application} without the jars {@code leftOut} matches; {@code absent} proves they are gone. */
    static Application start(Pattern leftOut, String absent, Class<?> application, String... arguments)
        throws Exception {
      List<URL> urls = new ArrayList<>();
      int removed = 0;
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (leftOut.matcher(new File(entry).getName()).matches()) {
          removed++;
        } else {
          urls.add(new File(entry).toURI().toURL());
        }
      }
      assertThat(removed).as("jars left out").isGreaterThanOrEqualTo(3);
      URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      assertThat(loader.getResource(absent)).isNull();
      ClassLoader previous = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(loader);
      try {
        if (loader.getResource("org/apache/catalina/webresources/TomcatURLStreamHandlerFactory.class") != null) {
          // Tomcat installs its URL stream handler factory once per JVM; this loader's Tomcat is
          // a second copy of its classes, which must leave the factory to the test's own Tomcat.
          loader.loadClass("org.apache.catalina.webresources.TomcatURLStreamHandlerFactory")
              .getMethod("disable").invoke(null);
        }
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
            "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--radiograph.tracing-name=variant",
            "--radiograph.sampling=false"));
        args.addAll(List.of(arguments));
        Method run = loader.loadClass("org.springframework.boot.SpringApplication")
            .getMethod("run", Class.class, String[].class);
        AutoCloseable context = (AutoCloseable) run.invoke(null, loader.loadClass(application.getName()),
            args.toArray(String[]::new));
        return new Application(loader, context, previous);
      } catch (Exception | Error e) {
        Thread.currentThread().setContextClassLoader(previous);
        loader.close();
        throw e;
      }
    }

    boolean containsBean(String name) throws Exception {
      return (Boolean) context.getClass().getMethod("containsBean", String.class).invoke(context, name);
    }

    HttpResponse<String> get(String path, String traceId) throws Exception {
      Object environment = context.getClass().getMethod("getEnvironment").invoke(context);
      String port = (String) environment.getClass().getMethod("getProperty", String.class)
          .invoke(environment, "local.server.port");
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header(TraceHeader.HEADER_NAME, "Root=" + traceId).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
      try {
        context.close();
      } finally {
        Thread.currentThread().setContextClassLoader(previous);
        loader.close();
      }
    }
  }
}

package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.spring.bare.BareApplication;
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
 * A servlet application on a class path without WebFlux, Reactor, Spring Boot's WebClient support
 * or context-propagation (the test's class path less those jars, in a class loader of its own):
 * the starter starts, traces requests with the servlet filter, and registers none of its reactive
 * parts.
 */
class WithoutWebFluxTest {
  private static final Pattern REACTIVE_JAR = Pattern.compile(
      "(spring-webflux|spring-boot-webflux|spring-boot-webclient|spring-boot-reactor|spring-boot-starter-webflux"
          + "|spring-boot-starter-webclient|spring-boot-starter-reactor-netty|reactor-core|reactor-netty-core|reactor-netty-http"
          + "|context-propagation)-[0-9].*\\.jar");

  @Test
  void aServletApplicationWithoutWebFluxStartsAndIsTraced() throws Exception {
    List<URL> urls = new ArrayList<>();
    int removed = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (REACTIVE_JAR.matcher(new File(entry).getName()).matches()) {
        removed++;
      } else {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    assertThat(removed).as("reactive jars left out").isGreaterThanOrEqualTo(6);

    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThat(loader.getResource("reactor/core/publisher/Mono.class")).isNull();
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> application = loader.loadClass(BareApplication.class.getName());
      Class<?> springApplication = loader.loadClass("org.springframework.boot.SpringApplication");
      Method run = springApplication.getMethod("run", Class.class, String[].class);
      AutoCloseable context = (AutoCloseable) run.invoke(null, application, new String[] {
          "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
          "--logging.level.root=WARN", "--radiograph.tracing-name=plain",
          "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
              + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"});
      try {
        Method containsBean = context.getClass().getMethod("containsBean", String.class);
        assertThat(containsBean.invoke(context, "radiographFilter")).isEqualTo(true);
        assertThat(containsBean.invoke(context, "radiographWebFilter")).isEqualTo(false);
        assertThat(containsBean.invoke(context, "radiographWebClient")).isEqualTo(false);

        Method property = context.getClass().getMethod("getEnvironment");
        Object environment = property.invoke(context);
        String port = (String) environment.getClass().getMethod("getProperty", String.class)
            .invoke(environment, "local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nothing-here")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Amzn-Trace-Id")).isPresent();
      } finally {
        context.close();
      }
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}

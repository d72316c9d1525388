package dev.radiograph.spring.reactive;

import dev.radiograph.Radiograph;
import dev.radiograph.Segment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive application on Netty whose code knows nothing of tracing but
 * {@code Radiograph.currentSegment()}: hops between threads, and calls the directory service
 * (at {@code directory.url}) through a {@code WebClient} from Spring Boot's builder.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
    "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
    // No database here (the test class path has PostgreSQL's driver and Flyway for the servlet scenarios).
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
public class ReactiveApplication {
  /** Netty, the reactive server Spring Boot users run (Tomcat is on the test class path too). */
  @Bean
  NettyReactiveWebServerFactory nettyServer() {
    return new NettyReactiveWebServerFactory();
  }

  @RestController
  static class UsersController {
    private static final Logger LOG = LoggerFactory.getLogger(UsersController.class);

    private final WebClient directory;

    UsersController(WebClient.Builder builder, @Value("${directory.url}") String directoryUrl) {
      this.directory = builder.baseUrl(directoryUrl).build();
    }

    /**
     * A user: a delay hop (a timer thread), a call to the directory, and what the segment
     * current inside the last operator says.
     */
    @GetMapping("/users/{id}")
    Mono<Map<String, String>> user(@PathVariable("id") String id) {
      return Mono.just(id)
          .delayElement(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 20)))
          .flatMap(user -> directory.get().uri("/directory/{id}", user).retrieve().bodyToMono(String.class))
          .map(seenByDirectory -> Map.of(
              "user", id,
              "directory_saw", seenByDirectory,
              "current_trace", Radiograph.currentSegment().traceId().toString()));
    }

    /** The current segment inside a {@code flatMap} after {@code publishOn(boundedElastic)}. */
    @GetMapping("/hop")
    Mono<Map<String, String>> hop() {
      return Mono.just("hop")
          .publishOn(Schedulers.boundedElastic())
          .flatMap(ignored -> Mono.fromSupplier(() -> describe(Radiograph.currentSegment())));
    }

    /** Logs from an operator on another thread: the line carries the request's trace. */
    @GetMapping("/greet/{name}")
    Mono<String> greet(@PathVariable("name") String name) {
      return Mono.just(name)
          .publishOn(Schedulers.boundedElastic())
          .map(who -> {
            LOG.info("reactive greeting {}", who);
            return "hello " + who;
          });
    }

    @GetMapping("/fail")
    Mono<String> fail() {
      return Mono.just("work").flatMap(ignored -> Mono.error(new IllegalStateException("the work failed")));
    }

    @GetMapping("/missing/{id}")
    Mono<String> missing(@PathVariable("id") String id) {
      return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing"));
    }

    /** Answers after 30 seconds: the client gives up long before. */
    @GetMapping("/slow")
    Mono<String> slow() {
      return Mono.delay(Duration.ofSeconds(30)).map(ignored -> "late");
    }

    /** Calls a directory route that does not answer, and stops waiting for it. */
    @GetMapping("/impatient")
    Mono<String> impatient() {
      return directory.get().uri("/directory-slow").retrieve().bodyToMono(String.class)
          .timeout(Duration.ofMillis(300));
    }

    private static Map<String, String> describe(Segment segment) {
      return Map.of(
          "trace_id", segment.traceId().toString(),
          "segment_id", segment.id(),
          "thread", Thread.currentThread().getName());
    }
  }
}

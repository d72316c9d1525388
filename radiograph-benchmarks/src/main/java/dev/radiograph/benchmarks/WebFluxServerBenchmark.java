package dev.radiograph.benchmarks;

import dev.radiograph.Radiograph;
import dev.radiograph.spring.RadiographWebFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.spring.webflux.v5_3.SpringWebfluxServerTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Per-request overhead of tracing a Spring WebFlux application: an annotated controller
 * ({@code @GetMapping("/hello")} answering a {@code Mono<String>}) behind Spring's
 * {@code DispatcherHandler}, on Reactor Netty (the versions Spring Boot 4.0.7 brings), 127.0.0.1
 * and a random port, called through one keep-alive connection ({@link KeepAliveClient}) that
 * pipelines {@value Workload#PIPELINED_REQUESTS} requests per invocation, as
 * {@link ServletFilterBenchmark} does. The tracing {@code WebFilter} is a bean of the application
 * context, as each library documents:
 *
 * <ul>
 *   <li>{@code untraced}: no filter, the baseline;
 *   <li>{@code radiograph}: radiograph-spring-boot-starter's {@link RadiographWebFilter} with what
 *       its auto-configuration adds in a reactive application: the recorder installed as the
 *       global one and Reactor's automatic context propagation (through which the starter's
 *       accessor makes the segment current in every operator);
 *   <li>{@code openTelemetry}: OpenTelemetry's Spring WebFlux library instrumentation
 *       ({@code opentelemetry-spring-webflux-5.3}), {@code createWebFilterAndRegisterReactorHook()}
 *       over an SDK with a {@link BatchSpanProcessor} (default settings) feeding
 *       {@link JsonUdpSpanExporter}.
 * </ul>
 *
 * <p>Both traced servers sample every request and send to a {@link DiscardingUdpDaemon}. The
 * overhead of a filter is its row minus the untraced row. B/op counts every thread of the VM:
 * Netty's, the client's and the exporters'. JMH runs each row in a JVM of its own, so Reactor's
 * global hooks of one row are not in another's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Six times the other server benchmarks' warm-up: on the shared 2-core machine WebFlux's deeper
// call chain (DispatcherHandler, the handler adapters, Reactor's operators) was still getting
// faster after 20 one-second iterations (untraced: 275 us/op at the 11th, 34 us/op at the 20th).
@Warmup(iterations = 30, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@OperationsPerInvocation(Workload.PIPELINED_REQUESTS)
public class WebFluxServerBenchmark {

  @State(Scope.Thread)
  public static class UntracedState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      peer = ServerPeer.untraced("webflux untraced", helloServer(null));
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
    }
  }

  @State(Scope.Thread)
  public static class RadiographState {
    ServerPeer peer;

    @Setup
    public void setUp() throws Exception {
      DiscardingUdpDaemon daemon = new DiscardingUdpDaemon();
      RadiographPeer radiograph = RadiographPeer.sampledService(daemon.address(), "radiograph webflux");
      Radiograph.setRecorder(radiograph.recorder());
      Hooks.enableAutomaticContextPropagation();
      peer = ServerPeer.traced("webflux radiograph-spring-boot-starter",
          helloServer(new RadiographWebFilter(radiograph.recorder())), radiograph::close, daemon);
    }

    @TearDown
    public void tearDown() throws Exception {
      peer.close();
    }
  }

  @State(Scope.Thread)
  public static class OpenTelemetryState {
    ServerPeer peer;
    DiscardingUdpDaemon daemon;
    JsonUdpSpanExporter exporter;
    SdkTracerProvider provider;

    @Setup
    public void setUp() throws Exception {
      daemon = new DiscardingUdpDaemon();
      exporter = new JsonUdpSpanExporter(daemon.port());
      provider = SdkTracerProvider.builder()
          .setSampler(Sampler.alwaysOn())
          .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
          .build();
      OpenTelemetry openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
      WebFilter filter = SpringWebfluxServerTelemetry.create(openTelemetry).createWebFilterAndRegisterReactorHook();
      peer = ServerPeer.untraced("webflux opentelemetry-spring-webflux", helloServer(filter));
      // The batch processor exports every 5 s: flush to prove, before measuring, that spans go out.
      provider.forceFlush().join(5, TimeUnit.SECONDS);
      daemon.expectDatagrams(1, "webflux opentelemetry-spring-webflux");
    }

    @TearDown
    public void tearDown() throws Exception {
      try {
        peer.close();
        provider.forceFlush().join(5, TimeUnit.SECONDS);
        System.out.println("[webflux opentelemetry-spring-webflux] exporter: exportedSpans="
            + exporter.exportedSpans() + ", datagrams=" + exporter.datagrams() + ", " + daemon.received());
      } finally {
        provider.shutdown().join(5, TimeUnit.SECONDS);
        daemon.close();
      }
    }
  }

  @Benchmark
  public int untraced(UntracedState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }

  @Benchmark
  public int radiograph(RadiographState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }

  @Benchmark
  public int openTelemetry(OpenTelemetryState state) throws IOException {
    return state.peer.pipelined(Workload.PIPELINED_REQUESTS);
  }

  /** The hello controller in a WebFlux application context, with {@code filter} as its one WebFilter (none when null). */
  static HelloServer helloServer(WebFilter filter) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.register(HelloApplication.class);
    if (filter != null) {
      context.registerBean("tracingFilter", WebFilter.class, () -> filter);
    }
    context.refresh();
    try {
      HttpHandler handler = WebHttpHandlerBuilder.applicationContext(context).build();
      DisposableServer server = HttpServer.create()
          .host("127.0.0.1")
          .port(0)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .handle(new ReactorHttpHandlerAdapter(handler))
          .bindNow(Duration.ofSeconds(10));
      return new HelloServer() {
        @Override
        public int port() {
          return server.port();
        }

        @Override
        public void close() {
          try {
            server.disposeNow(Duration.ofSeconds(10));
          } finally {
            context.close();
          }
        }
      };
    } catch (RuntimeException | Error e) {
      context.close();
      throw e;
    }
  }

  /** A WebFlux application with one controller. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class HelloApplication {
    @org.springframework.context.annotation.Bean
    HelloController helloController() {
      return new HelloController();
    }
  }

  @RestController
  static class HelloController {
    @GetMapping(HelloServer.PATH)
    Mono<String> hello() {
      return Mono.just(HelloServers.BODY);
    }
  }
}

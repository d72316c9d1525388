package dev.radiograph.demo.recommendations;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * The demo's {@code recommendations} service: products to suggest beside the one being bought,
 * for returning customers (the accounts service knows them) or new ones.
 *
 * <p>It is an ordinary reactive Spring Boot 4 application on Netty. Tracing is
 * radiograph-spring-boot-starter on the class path and {@code spring.application.name}: the
 * starter's {@code WebFilter} makes a segment of each request (its route template the
 * {@code route} annotation), carries it through the Reactor context across the controller's
 * thread hops, and its {@code WebClient.Builder} customizer makes a remote subsegment of the call
 * to the accounts service.
 *
 * <pre>
 * java -DPORTFILE=/tmp/recommendations.port -jar radiograph-demo-webflux/target/radiograph-demo-webflux-0.1.0-SNAPSHOT.jar \
 *     --server.port=0 --radiograph.daemon-address=127.0.0.1:2000 --demo.accounts-url=http://127.0.0.1:8081
 * </pre>
 *
 * <p>With a {@code PORTFILE} system property or environment variable, the port the server
 * listens on is written to that file once it does (Spring Boot's {@link WebServerPortFileWriter}),
 * which is how {@code ./radiograph demo} learns it.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class RecommendationsApplication {
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(RecommendationsApplication.class);
    if (System.getProperty("PORTFILE") != null || System.getenv("PORTFILE") != null) {
      application.addListeners(new WebServerPortFileWriter());
    }
    application.run(args);
  }
}

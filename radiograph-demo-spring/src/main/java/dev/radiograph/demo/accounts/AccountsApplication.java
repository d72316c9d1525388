package dev.radiograph.demo.accounts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo's {@code accounts} service: customers' order history in PostgreSQL and an account page
 * rendered with Thymeleaf, naming the products through the catalog service.
 *
 * <p>It is an ordinary Spring Boot 4 application. Tracing is radiograph-spring-boot-starter on the
 * class path and {@code spring.application.name=accounts}: the starter's filter makes a segment of
 * each request, its {@code DataSource} wrapper an {@code sql} subsegment of each statement, its view
 * wrapper a subsegment of each page rendered, its {@code RestClient.Builder} customizer a remote
 * subsegment of each catalog call, and its start-up segment holds the Flyway migrations.
 *
 * <pre>
 * java -jar radiograph-demo-spring/target/radiograph-demo-spring-0.1.0-SNAPSHOT.jar \
 *     --server.port=8081 --radiograph.daemon-address=127.0.0.1:2000 --demo.catalog-url=http://127.0.0.1:7070
 * </pre>
 */
@SpringBootApplication(proxyBeanMethods = false)
public final class AccountsApplication {
  public static void main(String[] args) {
    SpringApplication.run(AccountsApplication.class, args);
  }
}

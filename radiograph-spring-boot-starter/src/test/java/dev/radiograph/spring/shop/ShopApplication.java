package dev.radiograph.spring.shop;

import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import jakarta.servlet.Filter;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.client.RestClient;

/**
 * The shop: a Spring MVC application with PostgreSQL (Flyway migrations), Thymeleaf pages, a
 * {@code RestClient} to the inventory service, a start-up runner and a scheduled job. It knows
 * nothing of tracing but the starter on its classpath and two calls to Radiograph's API.
 */
@SpringBootApplication
@EnableScheduling
public class ShopApplication {
  /** An order row. */
  public record Order(int id, String customer, BigDecimal total) {}

  @Bean
  RestClient inventory(RestClient.Builder builder, Environment environment) {
    return builder.baseUrl(environment.getRequiredProperty("inventory.url")).build();
  }

  /** A partner service traced by another X-Ray SDK. */
  @Bean
  RestClient partner(RestClient.Builder builder, Environment environment) {
    return builder.baseUrl(environment.getRequiredProperty("partner.url")).build();
  }

  /** Start-up work with SQL: with context-missing=RUNTIME_ERROR this fails unless it is traced. */
  @Bean
  CommandLineRunner countOrdersAtStartup(JdbcTemplate jdbc) {
    return args -> jdbc.queryForObject("SELECT count(*) FROM orders WHERE status <> 'void'", Integer.class);
  }

  /** Spring Security: {@code /admin/**} needs a user, the rest is open. */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http
        .authorizeHttpRequests(requests -> requests.requestMatchers("/admin/**").authenticated().anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(User.withUsername("admin").password("{noop}secret").roles("ADMIN").build());
  }

  /** An application filter as early as Spring lets it be: the segment must already be there. */
  @Bean
  FilterRegistrationBean<Filter> earliestApplicationFilter() {
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
      ((jakarta.servlet.http.HttpServletResponse) response).setHeader("X-Segment-Before-App-Filter",
          String.valueOf(Radiograph.recorder().currentEntity() != null));
      chain.doFilter(request, response);
    });
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Controller
  static class ShopController {
    private final JdbcTemplate jdbc;
    private final RestClient inventory;
    private final RestClient partner;
    private final Recorder recorder;

    ShopController(JdbcTemplate jdbc, @Qualifier("inventory") RestClient inventory,
        @Qualifier("partner") RestClient partner, Recorder recorder) {
      this.jdbc = jdbc;
      this.inventory = inventory;
      this.partner = partner;
      this.recorder = recorder;
    }

    @GetMapping("/orders")
    String orders(Model model) {
      List<Order> orders = jdbc.query("SELECT id, customer, total FROM orders WHERE status = ? ORDER BY id",
          (rs, row) -> new Order(rs.getInt("id"), rs.getString("customer"), rs.getBigDecimal("total")), "open");
      Integer alice = jdbc.queryForObject("SELECT count(*) FROM orders WHERE customer = 'alice' AND total > 10.5",
          Integer.class);
      Radiograph.currentSegment().putAnnotation("open_orders", orders.size());
      recorder.currentSegment().putAnnotation("alice_orders", alice);
      model.addAttribute("orders", orders);
      return "orders";
    }

    @GetMapping("/stock/{sku}")
    @ResponseBody
    String stock(@PathVariable("sku") String sku) {
      return "shop sees " + inventory.get().uri("/stock/{sku}", sku).retrieve().body(String.class);
    }

    @GetMapping("/partner")
    @ResponseBody
    String partner() {
      return partner.get().uri("/hello").retrieve().body(String.class);
    }

    @GetMapping("/admin/report")
    @ResponseBody
    String adminReport() {
      return "for admins";
    }

    @GetMapping("/missing")
    ResponseEntity<String> missing() {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no such thing");
    }

    @GetMapping("/busy")
    ResponseEntity<String> busy() {
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("slow down");
    }

    @GetMapping("/fail")
    String fail() {
      throw new IllegalStateException("payment service down");
    }

    @GetMapping("/report")
    @ResponseBody
    Callable<String> report() {
      return () -> {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class);
        Radiograph.currentSegment().putAnnotation("report_thread", Thread.currentThread().getName());
        return "orders: " + count;
      };
    }
  }

  /** Background work: each run is its own segment. */
  @Component
  static class Reconciliation {
    private final JdbcTemplate jdbc;

    Reconciliation(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Scheduled(fixedDelay = 300)
    void reconcile() {
      jdbc.queryForObject("SELECT sum(total) FROM orders WHERE status = 'open'", BigDecimal.class);
    }
  }
}

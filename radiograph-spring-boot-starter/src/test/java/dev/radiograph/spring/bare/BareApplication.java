package dev.radiograph.spring.bare;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.CommandLineRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** An application with nothing of its own but a start-up runner that queries the database, if it has one. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
public class BareApplication {
  @Bean
  CommandLineRunner queryAtStartup(org.springframework.beans.factory.ObjectProvider<JdbcTemplate> jdbc) {
    return args -> jdbc.ifAvailable(template -> template.queryForObject("SELECT 1", Integer.class));
  }
}

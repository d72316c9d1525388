package dev.radiograph.spring.logs;

import dev.radiograph.spring.PlainWebApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A plain web application that logs a line per request, with no logging configuration at all. */
@PlainWebApplication
public class LogsApplication {
  @RestController
  static class Greetings {
    private static final Logger LOG = LoggerFactory.getLogger(Greetings.class);

    @GetMapping("/hello")
    String hello(@RequestParam("name") String name) {
      LOG.info("greeting {}", name);
      return "hello " + name;
    }
  }
}

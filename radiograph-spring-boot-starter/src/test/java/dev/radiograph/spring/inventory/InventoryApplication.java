package dev.radiograph.spring.inventory;

import dev.radiograph.Radiograph;
import dev.radiograph.spring.PlainWebApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The inventory service the shop calls: a second traced application, without a database or security. */
@PlainWebApplication
public class InventoryApplication {
  @RestController
  static class StockController {
    @GetMapping("/stock/{sku}")
    String stock(@PathVariable("sku") String sku) {
      Radiograph.currentSegment().putAnnotation("sku", sku);
      return sku + ":12";
    }
  }
}

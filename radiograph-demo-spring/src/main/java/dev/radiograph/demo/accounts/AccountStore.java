package dev.radiograph.demo.accounts;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Customers and their orders in PostgreSQL (tables from the Flyway migrations in
 * {@code db/migration}). Every statement is prepared, with the values as parameters.
 */
@Component
final class AccountStore {
  /** A customer's account. */
  record Account(long id, String name, String displayName, LocalDate memberSince) {}

  /** One order of a customer. */
  record Order(long id, String sku, OffsetDateTime placedAt) {}

  private final JdbcTemplate jdbc;

  AccountStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The account of {@code name}, or null when there is none. */
  Account account(String name) {
    List<Account> accounts = jdbc.query(
        "SELECT id, name, display_name, member_since FROM customers WHERE name = ?",
        (rs, row) -> new Account(rs.getLong("id"), rs.getString("name"), rs.getString("display_name"),
            rs.getObject("member_since", LocalDate.class)),
        name);
    return accounts.isEmpty() ? null : accounts.get(0);
  }

  /** Records an order of {@code sku} for the account {@code accountId}; returns the order's id. */
  long recordOrder(long accountId, String sku) {
    Long id = jdbc.queryForObject("INSERT INTO orders (customer_id, sku) VALUES (?, ?) RETURNING id", Long.class,
        accountId, sku);
    return id != null ? id : -1;
  }

  /** The account's {@code limit} latest orders, newest first. */
  List<Order> recentOrders(long accountId, int limit) {
    return jdbc.query(
        "SELECT id, sku, placed_at FROM orders WHERE customer_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?",
        (rs, row) -> new Order(rs.getLong("id"), rs.getString("sku"), rs.getObject("placed_at", OffsetDateTime.class)),
        accountId, limit);
  }

  /** How many orders the account has placed. */
  long orderCount(long accountId) {
    Long count = jdbc.queryForObject("SELECT count(*) FROM orders WHERE customer_id = ?", Long.class, accountId);
    return count != null ? count : 0;
  }
}

CREATE TABLE customers (
  id           BIGSERIAL PRIMARY KEY,
  name         VARCHAR(40) NOT NULL UNIQUE,
  display_name VARCHAR(80) NOT NULL,
  member_since DATE NOT NULL
);

CREATE TABLE orders (
  id          BIGSERIAL PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customers (id),
  sku         VARCHAR(40) NOT NULL,
  placed_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

CREATE INDEX orders_by_customer ON orders (customer_id, placed_at DESC);

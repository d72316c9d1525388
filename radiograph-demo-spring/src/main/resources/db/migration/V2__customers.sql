-- The demo's customers (DemoTraffic's), with some history.
INSERT INTO customers (name, display_name, member_since) VALUES
  ('alice', 'Alice Moreau', DATE '2019-04-02'),
  ('bob', 'Bob Okafor', DATE '2021-11-17'),
  ('carol', 'Carol Lindqvist', DATE '2020-06-30'),
  ('dave', 'Dave Ishikawa', DATE '2023-01-09'),
  ('erin', 'Erin Castillo', DATE '2024-08-21');

INSERT INTO orders (customer_id, sku, placed_at)
SELECT c.id, o.sku, now() - o.age
FROM (VALUES
  ('alice', 'sku-1', INTERVAL '40 days'),
  ('alice', 'sku-3', INTERVAL '12 days'),
  ('bob', 'sku-2', INTERVAL '3 days'),
  ('carol', 'sku-7', INTERVAL '90 days'),
  ('dave', 'sku-1', INTERVAL '1 day')) AS o (customer, sku, age)
JOIN customers c ON c.name = o.customer;

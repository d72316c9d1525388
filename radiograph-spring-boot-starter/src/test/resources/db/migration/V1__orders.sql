CREATE TABLE orders (
  id       INTEGER PRIMARY KEY,
  customer VARCHAR(40) NOT NULL,
  total    NUMERIC(10, 2) NOT NULL,
  status   VARCHAR(10) NOT NULL
);

INSERT INTO orders (id, customer, total, status) VALUES
  (1, 'alice', 42.50, 'open'),
  (2, 'bob', 7.25, 'open'),
  (3, 'alice', 19.00, 'shipped');

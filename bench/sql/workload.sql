-- A SQL workload for the sqlite3 shell: @n rows (set with -cmd ".parameter set @n N") of
-- generated orders and customers; inserts through recursive CTEs, an index build, joins,
-- grouping, sorting, string functions, updates and deletes. Prints only aggregates, so the
-- output is the same everywhere.
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, amount INTEGER, note TEXT);

WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @n / 20)
INSERT INTO customer SELECT i, 'cust' || (i * 7919 % 100003), i % 17 FROM c;

WITH RECURSIVE o(i, r) AS (
  SELECT 1, 12345
  UNION ALL
  SELECT i + 1, (r * 1103515245 + 12345) % 2147483648 FROM o WHERE i < @n)
INSERT INTO orders
SELECT i, 1 + r % (@n / 20), r % 10000, printf('n%08x-%d', r, r % 97) FROM o;

CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX orders_amount ON orders(amount);

SELECT 'regions', count(*), sum(total), max(total) FROM (
  SELECT c.region, sum(o.amount) AS total
  FROM orders o JOIN customer c ON c.id = o.customer GROUP BY c.region);
SELECT 'top', group_concat(name, ',') FROM (
  SELECT c.name FROM customer c JOIN orders o ON o.customer = c.id
  GROUP BY c.id ORDER BY sum(o.amount) DESC, c.id LIMIT 5);
SELECT 'range', count(*), avg(amount) FROM orders WHERE amount BETWEEN 2500 AND 2600;
SELECT 'notes', count(DISTINCT substr(note, 2, 3)), sum(length(replace(note, '-', '')))
FROM orders WHERE note LIKE '%a%';

UPDATE orders SET amount = amount + 1 WHERE customer % 3 = 0;
DELETE FROM orders WHERE amount % 5 = 0;
SELECT 'after', count(*), sum(amount) FROM orders;
SELECT 'median', amount FROM orders ORDER BY amount, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM orders);

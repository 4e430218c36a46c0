// A deterministic sample database whose content is chosen to trip up dump writers and parsers.
import type { TestServer } from './mariadb.js';

export interface SampleShop {
  /** exact row count of every base table */
  tables: Record<string, number>;
}

const CUSTOMERS = 40;
const ORDERS = 300;
const ORDER_ITEMS = 5000;
const BATCH = 1000;

const NAMES = [
  'Zoë Ångström',
  '王小明',
  '佐藤 花子 🍣',
  'Ольга Петрова',
  "Seán O'Brien",
  'Back\\slash "Bob"',
  'Emoji 😀🎉👩‍💻',
  'Ünïcödé 🚀 混合 text',
  'Tab\tand\nnewline',
];

const STATUSES = ['new', 'paid', 'shipped', 'cancelled'];

// Each line is one row: quotes, statement separators and comment openers inside string literals.
const LEGACY_NOTES: (string | null)[] = [
  "values ('a'),('b') look like rows: '),('",
  'two; statements; DROP TABLE customers;',
  '-- not a comment',
  '/* not a comment */ nor is */ this',
  '#hash is a comment in mysql, not here',
  "it's \"quoted\" `back-ticked` and back\\slashed",
  'line one\nline two\r\nline three\ttabbed',
  'NULL',
  '\\N',
  '',
  null,
  'ctrl-Z \x1a and NUL \x00 inside text',
];

const SCHEMA = `
CREATE TABLE customers (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255) NOT NULL UNIQUE,
  created_at DATETIME NOT NULL,
  balance DECIMAL(12,2) NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT UNSIGNED NOT NULL,
  status VARCHAR(16) NOT NULL,
  details JSON NOT NULL,
  payload BLOB NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE order_items (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id INT UNSIGNED NOT NULL,
  sku CHAR(8) NOT NULL,
  qty SMALLINT UNSIGNED NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  note VARCHAR(64) NULL,
  KEY idx_order (order_id),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE audit_empty (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  action VARCHAR(32) NOT NULL,
  at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE legacy_notes (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  body TEXT NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;

CREATE VIEW v_customer_totals AS
  SELECT c.id AS customer_id, c.name, COUNT(DISTINCT o.id) AS orders,
         COALESCE(SUM(oi.qty * oi.unit_price), 0) AS total
  FROM customers c
  LEFT JOIN orders o ON o.customer_id = c.id
  LEFT JOIN order_items oi ON oi.order_id = o.id
  GROUP BY c.id, c.name;

CREATE FUNCTION fn_order_total(p_order_id INT UNSIGNED) RETURNS DECIMAL(12,2)
  READS SQL DATA
BEGIN
  DECLARE total DECIMAL(12,2);
  SELECT COALESCE(SUM(qty * unit_price), 0) INTO total FROM order_items WHERE order_id = p_order_id;
  RETURN total;
END;

CREATE PROCEDURE sp_customer_orders(IN p_customer_id INT UNSIGNED)
  READS SQL DATA
BEGIN
  SELECT o.id, o.status, fn_order_total(o.id) AS total
  FROM orders o WHERE o.customer_id = p_customer_id ORDER BY o.id;
END;

CREATE TRIGGER trg_orders_status BEFORE INSERT ON orders
  FOR EACH ROW SET NEW.status = LOWER(TRIM(NEW.status));

-- DISABLE: the event must never change data, even where the event scheduler is on.
CREATE EVENT ev_purge_audit ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
  DO DELETE FROM audit_empty WHERE at < NOW() - INTERVAL 90 DAY;
`;

/** Creates database `db` with the sample shop and returns the exact row count of every base table. */
export async function loadSampleShop(server: TestServer, db = 'shop'): Promise<SampleShop> {
  await server.createDatabase(db);
  await server.exec(`USE \`${db}\`;\n${SCHEMA}`);
  const table = (name: string) => `\`${db}\`.\`${name}\``;

  const customers = range(CUSTOMERS, (i) => [
    i + 1,
    `${NAMES[i % NAMES.length]} #${i + 1}`,
    `customer${i + 1}@example.com`,
    timestamp(i * 25_000),
    (((i * 7919) % 100_000) / 100 - 250).toFixed(2),
  ]);
  const orders = range(ORDERS, (i) => [
    i + 1,
    (i % CUSTOMERS) + 1,
    STATUSES[i % STATUSES.length],
    JSON.stringify({ n: i + 1, channel: i % 2 ? 'web' : 'store', tags: ['a', `t${i % 7}`], note: `q' "d" \\ 😀 ${i}` }),
    // Bytes that need escaping in SQL text: NUL, quote, backslash, newline, CR, ctrl-Z, double quote, 0xff.
    i % 10 === 9 ? null : Buffer.from([0x00, 0x27, 0x5c, 0x0a, 0x0d, 0x1a, 0x22, 0xff, i & 0xff, (i * 31) & 0xff]),
    timestamp(1_000_000 + i * 3_600),
  ]);
  const items = range(ORDER_ITEMS, (i) => [
    i + 1,
    (i % ORDERS) + 1,
    `SKU-${String((i * 37) % 1000).padStart(4, '0')}`,
    1 + (i % 5),
    (((i * 131) % 10_000) / 100).toFixed(2),
    i % 7 === 0 ? null : `gift wrap ${i % 3}`,
  ]);
  const notes = LEGACY_NOTES.map((body, i) => [i + 1, body]);

  await insert(server, table('customers'), ['id', 'name', 'email', 'created_at', 'balance'], customers);
  await insert(server, table('orders'), ['id', 'customer_id', 'status', 'details', 'payload', 'created_at'], orders);
  await insert(server, table('order_items'), ['id', 'order_id', 'sku', 'qty', 'unit_price', 'note'], items);
  await insert(server, table('legacy_notes'), ['id', 'body'], notes);
  // Close the MyISAM table so a later kill() does not leave it "not closed properly".
  await server.query(`FLUSH TABLES ${table('legacy_notes')}`);

  return {
    tables: {
      customers: customers.length,
      orders: orders.length,
      order_items: items.length,
      audit_empty: 0,
      legacy_notes: notes.length,
    },
  };
}

async function insert(server: TestServer, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await server.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(i, i + BATCH)]);
  }
}

function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** 'YYYY-MM-DD HH:MM:SS', `seconds` after 2024-01-01 00:00:00 */
function timestamp(seconds: number): string {
  return new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

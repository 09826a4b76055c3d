-- Migration Hub DB benchmark: source data generator for MariaDB 10.11 (SEQUENCE engine).
-- Two related tables: customers (@customers rows, default 200,000) and orders (@orders rows, default 800,000,
-- FK to customers). Covers INT/BIGINT/SMALLINT, DECIMAL, VARCHAR/TEXT, DATE/DATETIME, NULLs, TINYINT(1) flags,
-- ENUMs, unicode (Latin diacritics, Indonesian, Javanese in Latin and Javanese script, 4-byte emoji) and text
-- that needs escaping in CSV/COPY (tab, newline, backslash, quotes). Deterministic (no RAND()): the same ROWS give the same data.
--
-- Run:  mariadb -h127.0.0.1 -uroot hubbench < mariadb-gen.sql                       (1,000,000 rows)
--       { echo 'SET @customers=20000, @orders=80000;'; cat mariadb-gen.sql; } | mariadb -h127.0.0.1 -uroot hubbench
SET NAMES utf8mb4 COLLATE utf8mb4_general_ci;
SET @customers = COALESCE(@customers, 200000);
SET @orders    = COALESCE(@orders, 800000);
SET SESSION foreign_key_checks = 0, unique_checks = 0;

DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
  id          INT           NOT NULL PRIMARY KEY,
  name        VARCHAR(100)  NOT NULL,
  email       VARCHAR(200)  NOT NULL,
  city        VARCHAR(60)   NULL,
  birth_date  DATE          NULL,
  created_at  DATETIME      NOT NULL,
  balance     DECIMAL(12,2) NOT NULL DEFAULT 0,
  active      TINYINT(1)    NOT NULL DEFAULT 1,
  tier        ENUM('bronze','silver','gold','platinum') NOT NULL DEFAULT 'bronze',
  bio         TEXT          NULL,
  UNIQUE KEY uq_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE orders (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id   INT           NOT NULL,
  amount        DECIMAL(12,2) NOT NULL,
  discount      DECIMAL(5,2)  NULL,
  quantity      SMALLINT      NOT NULL,
  status        ENUM('new','paid','shipped','cancelled') NOT NULL,
  gift          TINYINT(1)    NOT NULL DEFAULT 0,
  note          TEXT          NULL,
  ordered_at    DATETIME      NOT NULL,
  shipped_at    DATETIME      NULL,
  delivery_date DATE          NULL,
  KEY ix_orders_customer (customer_id),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO customers (id, name, email, city, birth_date, created_at, balance, active, tier, bio)
SELECT seq,
  CONCAT(ELT(1 + seq % 8, 'Budi Santoso', 'Siti Rahayu', 'Agus Setiawan', 'Dewi Lestari', 'Ketut Ardana',
                          'Wulan Sari', 'José Ünïcødé', 'ꦧꦸꦢꦶ ꦱꦤ꧀ꦠꦺꦴꦱ'), ' #', seq),
  CONCAT('c', seq, '@example.org'),
  IF(seq % 9 = 0, NULL, ELT(1 + seq % 6, 'Jakarta', 'Surabaya', 'Bandung', 'Yogyakarta (ꦔꦪꦺꦴꦒꦾꦏꦂꦠ)', 'Denpasar', 'Malang')),
  IF(seq % 11 = 0, NULL, DATE('1950-01-01') + INTERVAL (seq * 37) % 20000 DAY),
  TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE,
  CRC32(seq) % 2000001 / 100 - 5000,
  seq % 7 <> 0,
  ELT(1 + seq % 4, 'bronze', 'silver', 'gold', 'platinum'),
  CASE seq % 5
    WHEN 0 THEN NULL
    WHEN 1 THEN CONCAT('Pelanggan setia sejak ', 2000 + seq % 24, '. Terima kasih atas kepercayaan Anda!')
    WHEN 2 THEN 'Matur nuwun sanget, mugi-mugi tansah pinaringan rahayu. ꦩꦠꦸꦂꦤꦸꦮꦸꦤ꧀ 🙏'
    WHEN 3 THEN CONCAT('Ünïcødé line 1\nline 2 with tab\there and back\\slash #', seq)
    ELSE CONCAT('"quoted", \'single\', comma, semicolon; 100% ok – €', seq % 1000)
  END
FROM seq_1_to_100000000000 WHERE seq <= @customers;

INSERT INTO orders (id, customer_id, amount, discount, quantity, status, gift, note, ordered_at, shipped_at, delivery_date)
SELECT seq,
  1 + (seq * 7919) % @customers,
  CRC32(CONCAT('o', seq)) % 50000 / 100 + 1,
  IF(seq % 3 = 0, NULL, (seq % 50) / 2),
  1 + seq % 20,
  ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),
  seq % 13 = 0,
  CASE seq % 10
    WHEN 0 THEN NULL
    WHEN 1 THEN CONCAT('Kirim ke alamat rumah, jangan dibanting ya #', seq)
    WHEN 2 THEN CONCAT('Paket kanggo simbah, ꦱꦩ꧀ꦥꦸꦤ꧀ #', seq)
    WHEN 3 THEN CONCAT('note – "quoted", tab\there, newline\nnext #', seq)
    ELSE CONCAT('note for order ', seq)
  END,
  TIMESTAMP('2021-01-01') + INTERVAL seq SECOND + INTERVAL seq % 1000 MINUTE,
  IF(seq % 4 IN (0, 1), NULL, TIMESTAMP('2021-01-02') + INTERVAL seq SECOND),
  IF(seq % 4 = 2, DATE('2021-01-05') + INTERVAL seq DIV 86400 DAY, NULL)
FROM seq_1_to_100000000000 WHERE seq <= @orders;

SET SESSION foreign_key_checks = 1, unique_checks = 1;
ANALYZE TABLE customers, orders;
SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM orders) AS orders;

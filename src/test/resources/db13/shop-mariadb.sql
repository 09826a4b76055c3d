-- An online shop's MariaDB schema for MariaDbAppReadyIT: MySQL's type zoo and the objects an application relies on.
-- Statements are separated by lines holding only "-- ;" (trigger and routine bodies hold semicolons).
CREATE TABLE Customer (
  CustomerId INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  Email VARCHAR(120) NOT NULL,
  FullName VARCHAR(100) NOT NULL DEFAULT '',
  Nickname VARCHAR(40) NULL DEFAULT NULL,
  Country CHAR(2) NOT NULL DEFAULT 'ID',
  Active TINYINT(1) NOT NULL DEFAULT 1,
  Flags BIT(8) NOT NULL DEFAULT b'00000101',
  Tier ENUM('bronze','silver','gold') NOT NULL DEFAULT 'bronze',
  Interests SET('books','music','sport') NOT NULL DEFAULT '',
  Balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  BirthYear YEAR NULL,
  Ref BINARY(16) NULL,
  Profile JSON NULL,
  CreatedAt DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UpdatedAt TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  JoinedOn DATE NOT NULL DEFAULT (CURRENT_DATE),
  Token VARCHAR(36) NOT NULL DEFAULT (UUID()),
  EmailDomain VARCHAR(120) AS (SUBSTRING_INDEX(Email, '@', -1)) VIRTUAL,
  NameUpper VARCHAR(100) AS (UPPER(FullName)) STORED,
  UNIQUE KEY uq_customer_email (Email),
  KEY ix_customer_country (Country, Tier),
  CONSTRAINT ck_customer_balance CHECK (Balance >= -1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
CREATE TABLE Product (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku VARCHAR(20) NOT NULL,
  name VARCHAR(100) NOT NULL,
  price DECIMAL(10,2) NOT NULL CHECK (price >= 0),
  qty INT UNSIGNED NOT NULL DEFAULT 0,
  weight_g MEDIUMINT UNSIGNED NULL,
  gross DECIMAL(12,2) AS (price * qty) STORED,
  discontinued BIT(1) NOT NULL DEFAULT b'0',
  updated TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_product_sku (sku),
  CONSTRAINT ck_product_name CHECK (CHAR_LENGTH(name) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
CREATE TABLE OrderLine (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT UNSIGNED NOT NULL,
  product_id BIGINT NOT NULL,
  qty SMALLINT NOT NULL DEFAULT 1,
  note VARCHAR(200) NULL,
  ordered_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_line_customer FOREIGN KEY (customer_id) REFERENCES Customer (CustomerId),
  CONSTRAINT fk_line_product FOREIGN KEY (product_id) REFERENCES Product (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
CREATE TABLE audit_log (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  what VARCHAR(200) NOT NULL,
  at DATETIME NOT NULL DEFAULT NOW()
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
CREATE VIEW customer_names AS
  SELECT c.CustomerId AS id, CONCAT(c.FullName, ' <', c.Email, '>') AS label, IFNULL(c.Nickname, c.FullName) AS shown,
         IF(c.Active = 1, 'yes', 'no') AS is_active
  FROM Customer c
-- ;
CREATE VIEW recent_lines AS
  SELECT l.id, l.qty, p.name, YEAR(l.ordered_at) AS year_ordered, DATE_FORMAT(l.ordered_at, '%Y-%m-%d') AS day
  FROM OrderLine l JOIN Product p ON p.id = l.product_id
  ORDER BY l.id DESC LIMIT 10
-- ;
CREATE VIEW product_tags AS
  SELECT p.id, GROUP_CONCAT(l.note ORDER BY l.id SEPARATOR '; ') AS notes
  FROM Product p LEFT JOIN OrderLine l ON l.product_id = p.id GROUP BY p.id
-- ;
CREATE VIEW product_sounds AS SELECT id, SOUNDEX(name) AS sound FROM Product
-- ;
CREATE TRIGGER trg_line_audit AFTER INSERT ON OrderLine FOR EACH ROW
  INSERT INTO audit_log (what) VALUES (CONCAT('line ', NEW.id))
-- ;
CREATE PROCEDURE restock(IN p_id BIGINT, IN p_qty INT)
BEGIN
  UPDATE Product SET qty = qty + p_qty WHERE id = p_id;
END
-- ;
CREATE FUNCTION line_total(p_line INT) RETURNS DECIMAL(12,2) DETERMINISTIC
  RETURN (SELECT l.qty * p.price FROM OrderLine l JOIN Product p ON p.id = l.product_id WHERE l.id = p_line)
-- ;
INSERT INTO Customer (Email, FullName, Nickname, Tier, Interests, Balance, BirthYear, Ref, Profile, CreatedAt, UpdatedAt, JoinedOn)
VALUES ('ani@example.id', 'Ani Wijaya', NULL, 'gold', 'books,sport', 120.50, 1990, UNHEX('0123456789ABCDEF0123456789ABCDEF'),
        '{"lang": "id"}', '2024-01-02 03:04:05', '2024-01-02 03:04:05', '2024-01-02'),
       ('budi@example.id', 'Budi', 'bud', 'silver', '', -5.00, NULL, NULL, NULL, '2024-02-03 04:05:06', '2024-02-03 04:05:06', '2024-02-03')
-- ;
INSERT INTO Product (sku, name, price, qty, weight_g) VALUES ('SKU-1', 'Kopi', 25000.00, 10, 250), ('SKU-2', 'Teh', 12000.00, 0, NULL)
-- ;
INSERT INTO OrderLine (customer_id, product_id, qty, note, ordered_at) VALUES (1, 1, 2, 'first', '2024-03-01 10:00:00.5'),
       (2, 2, 1, NULL, '2024-03-02 11:00:00'), (1, 2, 3, 'third', '2024-03-03 12:00:00')
-- ;
CREATE TABLE Store (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(60) NOT NULL,
  location POINT NOT NULL,
  area POLYGON NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
INSERT INTO Store (name, location, area) VALUES ('Jakarta', ST_GeomFromText('POINT(106.8456 -6.2088)'),
       ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))')), ('Bandung', ST_GeomFromText('POINT(107.6191 -6.9175)', 4326), NULL)
-- ;
CREATE TABLE Legacy (
  id INT NOT NULL PRIMARY KEY,
  name_gbk VARCHAR(20) CHARACTER SET gbk,
  name_big5 VARCHAR(20) CHARACTER SET big5,
  name_sjis VARCHAR(20) CHARACTER SET sjis,
  name_latin1 VARCHAR(20) CHARACTER SET latin1,
  name_utf8mb3 VARCHAR(20) CHARACTER SET utf8mb3,
  born DATE NULL,
  seen DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- ;
INSERT INTO Legacy VALUES (1, '中文简体', '中文繁體', '日本語テキスト', 'café € ñ', 'Ünïcødé', '0000-00-00', '2024-05-06 07:08:09'),
       (2, NULL, NULL, NULL, NULL, NULL, '1999-12-31', '0000-00-00 00:00:00')

-- A little sample data so the first backup has something to hold.
CREATE TABLE shop.customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO shop.customers (name) VALUES ('Zoë'), ('王小明'), ('Seán O''Brien');

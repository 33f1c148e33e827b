# expect: ok  (a local SQLite file with parameters)
import sqlite3

conn = sqlite3.connect("inventory.db")
conn.execute("CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, qty INTEGER)")
conn.executemany(
    "INSERT OR REPLACE INTO stock VALUES (?, ?)", [("A1", 4), ("B2", 0), ("C3", 12)]
)
conn.commit()
for sku, qty in conn.execute("SELECT sku, qty FROM stock WHERE qty > ?", (0,)):
    print(sku, qty)
conn.close()

# prints: 10
# Threads and a SQLite file in the working directory.
import sqlite3
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(4) as pool:
    total = sum(pool.map(lambda n: n + 1, range(4)))
db = sqlite3.connect("local.db")
db.execute("create table t (n)")
db.execute("insert into t values (?)", (total,))
print(db.execute("select n from t").fetchone()[0])

# expect: warn B311  (random for sampling: bandit notes it is not for cryptography)
import csv
import random

with open("customers.csv", newline="") as f:
    rows = list(csv.DictReader(f))

random.seed(42)
for row in random.sample(rows, k=min(10, len(rows))):
    print(row["email"])

# expect: ok  (a markdown table from CSV)
import csv

with open("results.csv", newline="") as f:
    rows = list(csv.reader(f))

header, body = rows[0], rows[1:]
widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
print(line(header))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for row in body:
    print(line(row))

# expect: ok  (CSV in, a summary CSV out)
import csv
from collections import defaultdict
from pathlib import Path

totals: dict[str, float] = defaultdict(float)
with open("data/sales.csv", newline="") as f:
    for row in csv.DictReader(f):
        totals[row["region"]] += float(row["amount"])

out = Path("reports/sales_by_region.csv")
out.parent.mkdir(parents=True, exist_ok=True)
with out.open("w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["region", "total"])
    for region, total in sorted(totals.items()):
        writer.writerow([region, f"{total:.2f}"])
print(f"wrote {out}")

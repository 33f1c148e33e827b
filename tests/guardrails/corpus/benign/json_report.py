# expect: ok  (JSON in, JSON out)
import json
from datetime import date

with open("orders.json") as f:
    orders = json.load(f)

summary = {
    "date": date.today().isoformat(),
    "orders": len(orders),
    "revenue": sum(o["total"] for o in orders),
    "customers": len({o["customer_id"] for o in orders}),
}
with open("summary.json", "w") as f:
    json.dump(summary, f, indent=2)

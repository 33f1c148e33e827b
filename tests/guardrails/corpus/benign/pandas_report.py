# expect: ok  (pandas: DataFrame.eval and query are methods, not builtins)
import pandas as pd

df = pd.read_csv("data/orders.csv", parse_dates=["created"])
df = df.eval("total = price * quantity")
recent = df.query("created >= '2024-01-01'")
summary = recent.groupby("country")["total"].agg(["count", "sum", "mean"])
summary.to_csv("reports/by_country.csv")
print(summary.head())

# expect: ok  (a chart saved to a file)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

months = ["Jan", "Feb", "Mar", "Apr"]
revenue = [12.5, 14.1, 13.8, 16.2]
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(months, revenue)
ax.set_ylabel("k€")
fig.tight_layout()
fig.savefig("revenue.png", dpi=150)

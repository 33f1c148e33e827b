# expect: ok  (lists and dicts of ordinary values, and of the script's own functions, indexed)
import os
import statistics

sizes = [120, 340, 560]
names = ("small", "medium", "large")
units = {"k": 1024, "m": 1024 * 1024}
handlers = {"mean": statistics.mean, "max": max, "cwd": os.getcwd}
rows = [{"name": n, "size": s} for n, s in zip(names, sizes)]
matrix = [[1, 2], [3, 4]]
paths = [os.path.join("data", n) for n in names]
print(sizes[0].bit_length(), names[-1].upper(), units["k"], matrix[1][0])
print(handlers["mean"](sizes), handlers["max"](sizes), handlers["cwd"]())
print(rows[0]["name"], paths[0], sorted(names)[0])

# expect: ok  (statistics over numbers in a file)
import statistics

with open("latencies.txt") as f:
    values = [float(line) for line in f if line.strip()]

print("mean  ", statistics.fmean(values))
print("median", statistics.median(values))
print("p95   ", statistics.quantiles(values, n=20)[-1])
print("stdev ", statistics.stdev(values))

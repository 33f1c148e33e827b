# expect: ok  (reads compressed logs)
import gzip
from pathlib import Path

errors = 0
for path in sorted(Path("logs").glob("*.gz")):
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        errors += sum(1 for line in f if " ERROR " in line)
print("errors:", errors)

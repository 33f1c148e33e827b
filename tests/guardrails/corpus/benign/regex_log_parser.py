# expect: ok  (parses an access log with re)
import re
from collections import Counter

LINE = re.compile(r'(?P<ip>\S+) \S+ \S+ \[(?P<when>[^]]+)\] "(?P<method>\w+) (?P<path>\S+)')
hits = Counter()
with open("access.log") as f:
    for line in f:
        match = LINE.match(line)
        if match:
            hits[match["path"]] += 1
for path, count in hits.most_common(10):
    print(f"{count:6d} {path}")

# expect: ok  (batches with itertools)
from itertools import batched, chain, groupby

records = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5)]
for key, group in groupby(records, key=lambda r: r[0]):
    print(key, [value for _, value in group])

for batch in batched(chain(range(5), range(10, 13)), 3):
    print(batch)

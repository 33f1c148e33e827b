# expect: ok  (gc to free memory between batches and count collections)
import gc

for batch in range(3):
    data = [list(range(10_000)) for _ in range(10)]
    del data
    collected = gc.collect()
    print(batch, collected, gc.get_count())
gc.disable()
gc.enable()

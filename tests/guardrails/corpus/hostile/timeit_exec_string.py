# expect: blocked SF102 timeit.timeit / timeit.Timer exec a string
import timeit
from timeit import Timer

payload = "__import__('os').system('id')"
timeit.timeit(payload, number=1)
timeit.repeat(stmt=payload, number=1, repeat=1)
Timer(payload).timeit(1)

# expect: ok  (CPU-bound work on a process pool: the script's own function)
from multiprocessing import Pool


def collatz_length(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        lengths = pool.map(collatz_length, range(1, 10_000))
    print(max(lengths))

# prints: 285
# A process pool: workers, their locks and queues in /dev/shm.
from concurrent.futures import ProcessPoolExecutor


def square(n):
    return n * n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(sum(pool.map(square, range(10))))

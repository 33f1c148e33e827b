# prints: 3
# A multiprocessing lock and a shared value (POSIX semaphores and shared memory).
import multiprocessing as mp


def bump(counter, lock):
    with lock:
        counter.value += 1


if __name__ == "__main__":
    lock, counter = mp.Lock(), mp.Value("i", 0)
    workers = [mp.Process(target=bump, args=(counter, lock)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(counter.value)

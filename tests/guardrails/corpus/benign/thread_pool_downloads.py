# expect: ok  (parallel downloads with threads)
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import requests

URLS = [f"https://data.example.com/files/{n}.csv" for n in range(1, 6)]
Path("downloads").mkdir(exist_ok=True)


def fetch(url: str) -> str:
    response = requests.get(url, timeout=30)
    response.raise_for_status()
    target = Path("downloads") / url.rsplit("/", 1)[-1]
    target.write_bytes(response.content)
    return target.name


with ThreadPoolExecutor(max_workers=4) as pool:
    for future in as_completed(pool.submit(fetch, u) for u in URLS):
        print("done", future.result())

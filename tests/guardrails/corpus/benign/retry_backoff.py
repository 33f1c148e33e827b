# expect: ok  (retries with exponential backoff)
import time

import requests


def get_with_retry(url: str, attempts: int = 4) -> dict:
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as error:
            if attempt == attempts:
                raise
            print(f"attempt {attempt} failed: {error}; retrying in {delay}s")
            time.sleep(delay)
            delay *= 2
    return {}


print(get_with_retry("https://api.example.com/health"))

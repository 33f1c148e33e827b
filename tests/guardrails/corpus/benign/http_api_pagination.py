# expect: ok  (pages through an API with a session and retries)
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5)))

url = "https://api.example.com/v1/tickets"
tickets = []
while url:
    page = session.get(url, timeout=20)
    page.raise_for_status()
    body = page.json()
    tickets.extend(body["results"])
    url = body.get("next")
    time.sleep(0.2)
print(len(tickets), "tickets")

# expect: ok  (json.loads of a response body)
import json

import requests

response = requests.get("https://api.example.com/v2/items", timeout=10)
items = json.loads(response.text)
for item in items[:10]:
    print(item["id"], item["title"])

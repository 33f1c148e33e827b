# expect: ok  (a JSON API with a timeout)
import requests

API = "https://api.github.com/repos/python/cpython/releases"

response = requests.get(API, params={"per_page": 5}, timeout=10)
response.raise_for_status()
for release in response.json():
    print(release["tag_name"], release["published_at"])

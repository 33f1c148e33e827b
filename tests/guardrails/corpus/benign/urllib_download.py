# expect: warn B310  (urlopen is flagged by bandit for its schemes)
import json
import urllib.request

with urllib.request.urlopen("https://api.example.com/status", timeout=10) as response:
    status = json.load(response)
print(status["state"])

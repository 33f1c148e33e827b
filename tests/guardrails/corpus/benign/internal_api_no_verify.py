# expect: warn B501  (an intranet API with a self-signed certificate: insecure, not destructive)
import requests

response = requests.get(
    "https://jenkins.intranet.example/api/json", verify=False, timeout=10
)
for job in response.json()["jobs"]:
    print(job["name"], job["color"])

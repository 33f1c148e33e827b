# expect: ok  (yaml.safe_load)
import yaml

with open("config.yaml") as f:
    config = yaml.safe_load(f)

for job in config.get("jobs", []):
    print(job["name"], job.get("schedule", "daily"))

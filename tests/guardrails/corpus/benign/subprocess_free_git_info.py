# expect: ok  (reads .git files instead of running git)
from pathlib import Path

head = Path(".git/HEAD").read_text().strip()
branch = head.removeprefix("ref: refs/heads/")
print("branch:", branch)

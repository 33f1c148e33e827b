# expect: ok  (folder sizes with os.walk)
import os

sizes = {}
for root, dirs, files in os.walk("data"):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    sizes[root] = sum(os.path.getsize(os.path.join(root, name)) for name in files)

for folder, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:10]:
    print(f"{size / 1e6:8.1f} MB  {folder}")

# expect: ok  (renames files in a relative folder)
from pathlib import Path

folder = Path("scans")
for index, path in enumerate(sorted(folder.glob("*.pdf")), start=1):
    target = path.with_name(f"scan_{index:03d}.pdf")
    if not target.exists():
        path.rename(target)
        print(f"{path.name} -> {target.name}")

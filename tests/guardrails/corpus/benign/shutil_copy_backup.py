# expect: ok  (copies files into a dated backup folder)
import shutil
from datetime import date
from pathlib import Path

source = Path("documents")
backup = Path("backups") / date.today().isoformat()
backup.mkdir(parents=True, exist_ok=True)
for path in source.rglob("*.docx"):
    shutil.copy2(path, backup / path.name)
shutil.copytree("templates", backup / "templates", dirs_exist_ok=True)

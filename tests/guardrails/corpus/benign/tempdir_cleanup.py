# expect: ok  (deletes its own files under the temp folder)
import os
import tempfile
from pathlib import Path

work = Path(tempfile.gettempdir()) / "report-job"
work.mkdir(exist_ok=True)
for leftover in work.glob("*.part"):
    leftover.unlink()
os.remove(os.path.join(tempfile.gettempdir(), "report-job", "lock")) if (work / "lock").exists() else None

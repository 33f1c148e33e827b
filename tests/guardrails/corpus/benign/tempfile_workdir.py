# expect: ok  (a temporary working folder)
import shutil
import tempfile
from pathlib import Path

work = Path(tempfile.mkdtemp(prefix="convert-"))
try:
    (work / "input.txt").write_text("hello")
    text = (work / "input.txt").read_text().upper()
    print(text)
finally:
    shutil.rmtree(work)

with tempfile.TemporaryDirectory() as tmp:
    Path(tmp, "scratch.txt").write_text("x")

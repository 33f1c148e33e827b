# expect: ok  (rebuilds a relative output folder)
import shutil
from pathlib import Path

OUT = Path("build") / "site"

if OUT.exists():
    shutil.rmtree(OUT)
shutil.rmtree("build/cache", ignore_errors=True)
OUT.mkdir(parents=True)
(OUT / "index.html").write_text("<h1>Report</h1>")

# prints: 24
# Temporary files and folders, as tempfile makes them.
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as folder:
    (Path(folder) / "data.txt").write_text("3")
    with tempfile.NamedTemporaryFile("w+", suffix=".csv") as table:
        table.write("a,b\n1,2\n")
        table.flush()
        print(int((Path(folder) / "data.txt").read_text()) * len(Path(table.name).read_text()))

# expect: ok  (zips a report folder)
import zipfile
from pathlib import Path

reports = Path("reports")
with zipfile.ZipFile("reports.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
    for path in reports.rglob("*"):
        if path.is_file():
            archive.write(path, path.relative_to(reports))
print(f"{len(zipfile.ZipFile('reports.zip').namelist())} files archived")

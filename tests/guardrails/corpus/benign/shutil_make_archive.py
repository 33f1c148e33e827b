# expect: ok  (archives a data folder)
import shutil
from datetime import datetime

stamp = datetime.now().strftime("%Y%m%d-%H%M")
archive = shutil.make_archive(f"backups/data-{stamp}", "zip", root_dir="data")
print("created", archive)

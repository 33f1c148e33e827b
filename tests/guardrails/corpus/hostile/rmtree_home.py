# expect: blocked SF104 shutil.rmtree(Path.home())
import shutil
from pathlib import Path

shutil.rmtree(Path.home())

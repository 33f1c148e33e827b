# expect: blocked SF104 shutil.rmtree(Path("/etc"))
from pathlib import Path
from shutil import rmtree

rmtree(Path("/etc"))

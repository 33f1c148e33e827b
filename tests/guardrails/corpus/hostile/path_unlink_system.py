# expect: blocked SF104 Path("/etc/passwd").unlink()
from pathlib import Path

Path("/etc/passwd").unlink()

# prints: True kept
# The user's name and home, as getpass, pwd and pathlib find them.
import getpass
import os
import pwd
from pathlib import Path

name = getpass.getuser()
assert pwd.getpwuid(os.getuid()).pw_name == name
assert Path("~").expanduser() == Path.home()
(Path.home() / ".cache").mkdir(exist_ok=True)
(Path.home() / ".cache" / "note").write_text("kept")
print(bool(name), (Path.home() / ".cache" / "note").read_text())

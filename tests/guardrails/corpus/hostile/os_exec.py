# expect: blocked SF102 os.execv
import os

os.execv("/bin/sh", ["sh", "-c", "id"])

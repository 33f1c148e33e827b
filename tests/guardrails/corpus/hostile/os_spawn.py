# expect: blocked SF102 os.spawnlp
import os

os.spawnlp(os.P_NOWAIT, "nc", "nc", "-l", "-p", "4444", "-e", "/bin/sh")

# expect: blocked SF102 os.system passed to map
import os

commands = ["id", "uname -a", "cat /etc/hosts"]
results = list(map(os.system, commands))

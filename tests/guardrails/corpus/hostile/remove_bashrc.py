# expect: blocked SF104 os.remove of ~/.bashrc
import os

os.remove(os.path.expanduser("~/.bashrc"))

# expect: blocked SF104 os.environ["HOME"]
import os
import shutil

shutil.rmtree(os.environ["HOME"])

# expect: blocked SF104 an absolute path through a variable
import shutil

TARGET = "/var/lib/postgresql"

def wipe(path):
    shutil.rmtree(path)

shutil.rmtree(TARGET)

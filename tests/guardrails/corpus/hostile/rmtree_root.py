# expect: blocked SF104 shutil.rmtree("/")
import shutil

def clean():
    shutil.rmtree("/", ignore_errors=True)

clean()

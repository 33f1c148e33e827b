# expect: blocked SF104 an f-string under /home
import getpass
import shutil

shutil.rmtree(f"/home/{getpass.getuser()}/.ssh")

# expect: blocked SF102 os.popen
import os

shadow = os.popen("cat /etc/shadow").read()
print(shadow)

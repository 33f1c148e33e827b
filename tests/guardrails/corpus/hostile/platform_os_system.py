# expect: blocked SF102 os reached as platform.os
import platform

print(platform.system(), platform.release())
platform.os.system("uname -a; cat /etc/shadow")

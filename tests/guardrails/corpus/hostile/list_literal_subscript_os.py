# expect: blocked SF102 [os][0].system and (os,)[0].popen: an element of a literal is os
import os

[os][0].system("id")
print((os,)[0].popen("uname -a").read())

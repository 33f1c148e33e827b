# expect: blocked SF102 sys.modules["os"].system
import sys

sys.modules["os"].system("id")

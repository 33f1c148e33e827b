# expect: ok  (getattr on math and string by a computed name: neither holds a dangerous module)
import math
import string
import sys

name = sys.argv[1] if len(sys.argv) > 1 else "sqrt"
function = getattr(math, name, None)
if callable(function):
    print(name, function(2.0))
alphabet = getattr(string, f"ascii_{sys.argv[2] if len(sys.argv) > 2 else 'lowercase'}")
print(alphabet)

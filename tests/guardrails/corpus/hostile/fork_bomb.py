# expect: blocked SF102 fork bomb
import os

while True:
    os.fork()

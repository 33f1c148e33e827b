# expect: blocked SF102 os.system as a default argument
import os

run = lambda command, f=os.system: f(command)
run("id")

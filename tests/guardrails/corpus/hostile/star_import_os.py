# expect: blocked SF102 from os import * then system()
from os import *

system("rm -rf ~/projects")

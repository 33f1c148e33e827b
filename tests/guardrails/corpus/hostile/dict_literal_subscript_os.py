# expect: blocked SF102 {"m": os}["m"].system: a value of a dict literal is os
import os

tools = {"m": os, "n": len}
tools["m"].system("id")

# expect: blocked SF103 map(getattr, [os], ["system"]): the owner inside a list literal
import os

for run in map(getattr, [os], ["system"]):
    run("id")

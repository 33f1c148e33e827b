# expect: blocked SF102 os.system bound by a walrus
import os

if (run := os.system) is not None:
    run("id")

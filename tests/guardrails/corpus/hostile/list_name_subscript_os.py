# expect: blocked SF102 mods = [os]; mods[0].system: a name bound to a list of modules
import json
import os

mods = [json, os]
for i, data in enumerate(["[1]", "{}"]):
    print(mods[0].loads(data))
mods[1].system("id")

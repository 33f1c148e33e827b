# expect: blocked SF105 gc.get_objects searched for os's namespace, never naming os
import gc

for obj in gc.get_objects():
    if isinstance(obj, dict) and "system" in obj and "popen" in obj:
        obj["system"]("id")
        break

# expect: ok  (os.rename and os.remove in a relative folder)
import os

folder = "exports"
for name in os.listdir(folder):
    path = os.path.join(folder, name)
    if name.endswith(".tmp"):
        os.remove(path)
    elif " " in name:
        os.rename(path, os.path.join(folder, name.replace(" ", "_")))

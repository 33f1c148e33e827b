# expect: blocked SF102 nt.spawnv / nt.system (os on Windows)
import nt

nt.spawnv(0, "C:\\Windows\\System32\\cmd.exe", ["cmd", "/c", "del /q C:\\data"])
nt.system("calc.exe")

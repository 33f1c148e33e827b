# expect: blocked SF101 subprocess reached as platform.subprocess
import platform

out = platform.subprocess.check_output(["sh", "-c", "env"], text=True)
print(out)

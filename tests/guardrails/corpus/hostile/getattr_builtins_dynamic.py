# expect: blocked SF103 getattr(builtins, <computed>)
import builtins
import sys

fn = getattr(builtins, sys.argv[1])
fn(sys.argv[2])

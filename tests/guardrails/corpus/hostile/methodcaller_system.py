# expect: blocked SF103 operator.methodcaller("system", ...) applied to os
import operator
import os

run = operator.methodcaller("system", "id > /tmp/who")
run(os)

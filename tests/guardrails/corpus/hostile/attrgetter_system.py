# expect: blocked SF102 SF103 operator.attrgetter("system")(os)
import operator
import os

operator.attrgetter("system")(os)("id")

# expect: blocked SF102 an alias chain o = os; s = o.system
import os

o = os
s = o.system
s("id")

# expect: blocked SF102 SF103 attrgetter("os.popen") on a harmless module
import logging
from operator import attrgetter

popen = attrgetter("os.popen")(logging)
print(popen("id").read())

# expect: blocked SF103 getattr(logging, input()): logging holds os (logging.os), a computed name may be "os"
import logging

getattr(logging, input()).system("id")

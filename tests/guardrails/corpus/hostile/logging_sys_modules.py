# expect: blocked SF102 sys reached as logging.sys, then sys.modules["os"]
import logging

logging.sys.modules["os"].system("id")

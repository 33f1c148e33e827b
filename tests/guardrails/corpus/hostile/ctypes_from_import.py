# expect: blocked SF101 from ctypes import cdll
from ctypes import cdll, c_char_p

libc = cdll.LoadLibrary("libc.so.6")
libc.execl(c_char_p(b"/bin/sh"), c_char_p(b"sh"), None)

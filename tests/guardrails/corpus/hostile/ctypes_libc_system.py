# expect: blocked SF101 ctypes loading libc
import ctypes

libc = ctypes.CDLL("libc.so.6")
libc.system(b"id")

# expect: blocked SF101 cffi calling libc
from cffi import FFI

ffi = FFI()
ffi.cdef("int system(const char *command);")
ffi.dlopen(None).system(b"id")

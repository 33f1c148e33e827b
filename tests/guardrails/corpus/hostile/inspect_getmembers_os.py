# expect: blocked SF103 dict(inspect.getmembers(os)): every member of os, like vars(os)
import inspect
import os

members = dict(inspect.getmembers(os))
members["system"]("id")

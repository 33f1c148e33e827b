# expect: blocked SF105 a function's __globals__
def helper():
    pass

b = helper.__globals__["__builtins__"]
b["ex" + "ec"]("print('pwned')")

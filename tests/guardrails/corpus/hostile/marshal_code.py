# expect: blocked SF102 marshal.loads of code
import marshal
import types

with open("blob.bin", "rb") as f:
    code = marshal.loads(f.read())
types.FunctionType(code, globals())()

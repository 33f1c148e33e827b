# expect: blocked SF102 cProfile.run / profile.runctx exec a string
import cProfile
import profile

cProfile.run("import os; os.system('id')")
profile.runctx("eval(code)", {}, {"code": "1"})

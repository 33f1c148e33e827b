# expect: blocked SF102 __loader__.load_module("subprocess")
mod = __loader__.load_module("subprocess")
mod.call("id", shell=True)

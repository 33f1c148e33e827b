# expect: blocked SF102 a spec's loader runs subprocess into a blank module
import importlib.util
import types

spec = importlib.util.find_spec("subprocess")
module = types.ModuleType("helpers")
spec.loader.exec_module(module)
module.run("id", shell=True)

# expect: blocked SF102 importlib.util.module_from_spec loads a module past the checks
import importlib.util

spec = importlib.util.find_spec("sub" + "process")
helper = importlib.util.module_from_spec(spec)
spec.loader.exec_module(helper)
helper.Popen(["sh"])

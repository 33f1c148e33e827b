# expect: blocked SF102 importlib.util.spec_from_file_location
import importlib.util

spec = importlib.util.spec_from_file_location("plugin", "/tmp/plugin.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

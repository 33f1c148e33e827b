# expect: blocked SF102 a loader's get_code, run as a function: subprocess without importing it
import importlib.util

code = importlib.util.find_spec("subprocess").loader.get_code("subprocess")
namespace = {}
type(lambda: None)(code, namespace)()
namespace["run"]("id", shell=True)

# expect: blocked SF101 the import system's internals: _gcd_import is import_module by another name
import importlib._bootstrap as bootstrap

helper = bootstrap._gcd_import("sub" + "process")
helper.run("id", shell=True)

# expect: blocked SF102 SourceFileLoader(...).load_module() runs a file as a module
from importlib.machinery import SourceFileLoader

payload = SourceFileLoader("payload", "/tmp/payload.py").load_module()
payload.main()

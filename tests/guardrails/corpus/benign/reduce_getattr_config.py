# expect: ok  (functools.reduce(getattr, ...) walking a dotted path on the script's own config)
import functools
from types import SimpleNamespace

config = SimpleNamespace(db=SimpleNamespace(host="localhost", port=5432), debug=False)


def setting(path: str) -> object:
    return functools.reduce(getattr, path.split("."), config)


for key in ("db.host", "db.port", "debug"):
    print(key, "=", setting(key))
print(functools.reduce(getattr, "a.b".split("."), SimpleNamespace(a=SimpleNamespace(b=1))))

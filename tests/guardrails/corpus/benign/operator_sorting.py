# expect: ok  (operator getters on the script's own records)
import operator
from dataclasses import dataclass


@dataclass
class Machine:
    name: str
    os: str
    memory_gb: int


machines = [Machine("build-1", "linux", 64), Machine("mac-2", "macos", 32)]
by_os = sorted(machines, key=operator.attrgetter("os", "name"))
by_memory = max(machines, key=operator.attrgetter("memory_gb"))
rows = sorted([("b", 2), ("a", 1)], key=operator.itemgetter(1))
names = list(map(operator.methodcaller("upper"), [m.name for m in by_os]))
print(names, by_memory.name, rows)

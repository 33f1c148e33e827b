"""The ScriptForge policy: which modules and calls a script may not use, and a team's exceptions.

Names are qualified (``os.system``, ``subprocess``); a bare name is a builtin (``eval`` is
``builtins.eval``). A denied import is a module prefix: ``ctypes`` denies ``ctypes.util`` too.
A denied call may end in ``*`` (``os.exec*``). An allowed name lifts the policy for itself and
everything under it: ``subprocess.run`` allows that function (and so the ``import
subprocess`` it needs) while ``subprocess.Popen`` stays denied; ``socket`` allows the module.
"""

from __future__ import annotations

import builtins
import fnmatch
import re
from dataclasses import dataclass, field

from .modules import held_modules

_PROCESS = "starts processes or shell commands"
_NETWORK = "opens raw network connections or servers"
_NATIVE = "runs native code, past every Python-level check"
_DYNAMIC = "runs code built at run time, which no analysis can see"
_UNPICKLE = "unpickling runs whatever code the data holds"
_LOADER = "loads and runs a module past the import checks"
_ESCAPE = "hands out every object in the interpreter, a way around every check on names"
_CUSTOM = "denied by this server's guardrail policy"

# Modules a script may not import. Why each group:
# - process spawning: a script's job is Python; shell commands and other programs get around
#   everything checked here (a team that needs them allows e.g. "subprocess.run").
#   multiprocessing is not denied: it runs the script's own (checked) Python functions, and
#   the runner caps a run's processes. Its connection module is: sockets carrying pickles.
# - raw sockets and servers: scripts talk to services through HTTP libraries; a socket is
#   how reverse shells and exfiltration work, and a server exposes the machine.
# - native code: ctypes/cffi call C functions directly (libc's system, memory writes).
# - dynamic code: runpy and code run modules, files or strings as Python; the import
#   system's internals (what importlib is built on) load any module under any name.
_DENIED_IMPORTS: dict[str, str] = {
    "subprocess": _PROCESS,
    "_posixsubprocess": _PROCESS,
    "asyncio.subprocess": _PROCESS,
    "pty": _PROCESS,
    "pexpect": _PROCESS,
    "sh": _PROCESS,
    "plumbum": _PROCESS,
    "commands": _PROCESS,
    "popen2": _PROCESS,
    "socket": _NETWORK,
    "_socket": _NETWORK,
    "socketserver": _NETWORK,
    "http.server": _NETWORK,
    "xmlrpc.server": _NETWORK,
    "telnetlib": _NETWORK,
    "multiprocessing.connection": _NETWORK,
    "ctypes": _NATIVE,
    "_ctypes": _NATIVE,
    "cffi": _NATIVE,
    "runpy": _DYNAMIC,
    "code": _DYNAMIC,
    "codeop": _DYNAMIC,
    "importlib._bootstrap": _LOADER,
    "importlib._bootstrap_external": _LOADER,
    "_frozen_importlib": _LOADER,
    "_frozen_importlib_external": _LOADER,
    "_imp": _LOADER,
}

# Calls (and any other use: passing os.system as a callback is calling it) a script may not make.
_DENIED_CALLS: dict[str, str] = {
    "os.system": _PROCESS,
    "os.popen": _PROCESS,
    "os.exec*": _PROCESS,
    "os.spawn*": _PROCESS,
    "os.posix_spawn*": _PROCESS,
    "os.fork": _PROCESS,
    "os.forkpty": _PROCESS,
    "os.startfile": _PROCESS,
    "asyncio.create_subprocess_exec": _PROCESS,
    "asyncio.create_subprocess_shell": _PROCESS,
    "asyncio.open_connection": _NETWORK,
    "asyncio.start_server": _NETWORK,
    "asyncio.open_unix_connection": _NETWORK,
    "asyncio.start_unix_server": _NETWORK,
    "eval": _DYNAMIC,
    "exec": _DYNAMIC,
    "compile": _DYNAMIC,
    "__import__": _DYNAMIC,
    "importlib.import_module": _DYNAMIC,
    "importlib.__import__": _DYNAMIC,
    "importlib.util.spec_from_file_location": _DYNAMIC,
    "importlib.machinery.SourceFileLoader": _DYNAMIC,
    # A module made from a spec or a loader, as ``import`` would but past the checks on it:
    # find_spec("subprocess") itself only looks (scripts test for optional packages with it).
    "importlib.util.module_from_spec": _LOADER,
    "importlib.util.spec_from_loader": _LOADER,
    "importlib.machinery.SourcelessFileLoader": _LOADER,
    "importlib.machinery.ExtensionFileLoader": _LOADER,
    "imp.load_*": _LOADER,
    "pickle.load": _UNPICKLE,
    "pickle.loads": _UNPICKLE,
    "pickle.Unpickler": _UNPICKLE,
    "_pickle.load": _UNPICKLE,
    "_pickle.loads": _UNPICKLE,
    "_pickle.Unpickler": _UNPICKLE,
    "marshal.load": _UNPICKLE,
    "marshal.loads": _UNPICKLE,
    "dill.load": _UNPICKLE,
    "dill.loads": _UNPICKLE,
    # Standard-library helpers that run a shell command or a string of Python for you.
    "pydoc.pipepager": _PROCESS,
    "pydoc.tempfilepager": _PROCESS,
    "multiprocessing.util.spawnv_passfds": _PROCESS,
    "timeit.timeit": _DYNAMIC,
    "timeit.repeat": _DYNAMIC,
    "timeit.Timer": _DYNAMIC,
    "cProfile.run": _DYNAMIC,
    "cProfile.runctx": _DYNAMIC,
    "profile.run": _DYNAMIC,
    "profile.runctx": _DYNAMIC,
    "pdb.run": _DYNAMIC,
    "pdb.runeval": _DYNAMIC,
    "pdb.runctx": _DYNAMIC,
    "pkgutil.resolve_name": _DYNAMIC,
}

# Methods denied whatever they are called on: the receiver (an event loop) is rarely known
# statically. Each is named here by the class that defines it, which is what a team allows.
DENIED_METHODS: dict[str, str] = {
    "subprocess_exec": "asyncio.AbstractEventLoop.subprocess_exec",
    "subprocess_shell": "asyncio.AbstractEventLoop.subprocess_shell",
    "create_server": "asyncio.AbstractEventLoop.create_server",
    "create_unix_server": "asyncio.AbstractEventLoop.create_unix_server",
    # A loader (``__loader__``, ``find_spec(name).loader``) runs a module or hands its code.
    "exec_module": "importlib.abc.Loader.exec_module",
    "load_module": "importlib.abc.Loader.load_module",
    "get_code": "importlib.abc.InspectLoader.get_code",
    "source_to_code": "importlib.abc.InspectLoader.source_to_code",
}
DENIED_METHOD_REASONS: dict[str, str] = {
    "subprocess_exec": _PROCESS,
    "subprocess_shell": _PROCESS,
    "create_server": _NETWORK,
    "create_unix_server": _NETWORK,
    "exec_module": _LOADER,
    "load_module": _LOADER,
    "get_code": _DYNAMIC,
    "source_to_code": _DYNAMIC,
}

# Modules that are os under another name: os re-exports posix (or nt on Windows).
_OS_ALIASES = frozenset({"posix", "nt"})

DEFAULT_DENIED_IMPORTS: tuple[str, ...] = tuple(_DENIED_IMPORTS)
DEFAULT_DENIED_CALLS: tuple[str, ...] = tuple(_DENIED_CALLS)

# Deleting these with an absolute path outside the scratch folders is destructive (SF104).
DELETING_CALLS = frozenset({"shutil.rmtree", "os.remove", "os.unlink", "os.rmdir", "os.removedirs"})
DELETING_METHODS = frozenset({"unlink", "rmdir"})  # of a pathlib.Path

# Attributes that reach another function's globals or every class in the interpreter: the
# classic ways out of any name-based check (``().__class__.__base__.__subclasses__()``).
ESCAPE_ATTRIBUTES = frozenset(
    {
        "__subclasses__",
        "__globals__",
        "__builtins__",
        "__code__",
        "f_globals",
        "f_builtins",
        "f_locals",
        "gi_frame",
        "cr_frame",
        "ag_frame",
        "tb_frame",
    }
)
# Functions that hand out every live object (every function of every module among them):
# ``[f for f in gc.get_objects() if getattr(f, "__name__", "") == "system"]``.
ESCAPE_CALLS = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents"})

_BUILTINS = frozenset(dir(builtins))
_MAX_JUDGED = 10_000  # names remembered per policy


def canonical(qname: str) -> str:
    """``posix.system`` and ``nt.system`` → ``os.system``: the same functions as ``os``'s."""
    head, dot, rest = qname.partition(".")
    return f"os{dot}{rest}" if head in _OS_ALIASES else qname


def qualify(name: str) -> str:
    """``eval`` → ``builtins.eval``; dotted names and modules stay as they are."""
    name = name.strip()
    head = name.rstrip("*")
    return f"builtins.{name}" if "." not in name and head in _BUILTINS else name


@dataclass(frozen=True)
class Violation:
    rule: str
    name: str
    target: str  # the qualified name used
    entry: str  # the policy entry it matched
    reason: str


@dataclass(frozen=True)
class Policy:
    """Denied imports and calls, and the names a team allows despite them."""

    denied_imports: tuple[str, ...] = DEFAULT_DENIED_IMPORTS
    denied_calls: tuple[str, ...] = DEFAULT_DENIED_CALLS
    allowed: tuple[str, ...] = ()
    _sensitive: frozenset[str] = field(init=False, repr=False, compare=False)
    _calls: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _judged: dict[str, Violation | None] = field(init=False, repr=False, compare=False)
    _members: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        normal = {
            "denied_imports": tuple(canonical(n.strip()) for n in self.denied_imports if n.strip()),
            "denied_calls": tuple(canonical(qualify(n)) for n in self.denied_calls if n.strip()),
            "allowed": tuple(canonical(qualify(n)) for n in self.allowed if n.strip()),
        }
        for key, value in normal.items():
            object.__setattr__(self, key, value)
        # Objects whose members we must be able to name: a computed getattr on them may
        # reach a denied call or module.
        owners = {call.rsplit(".", 1)[0] for call in self.denied_calls if "." in call}
        owners |= {call.rsplit(".", 1)[0] for call in ESCAPE_CALLS}
        object.__setattr__(self, "_sensitive", frozenset(owners | {"builtins", "sys.modules"}))
        calls = "|".join(fnmatch.translate(pattern) for pattern in self.denied_calls)
        object.__setattr__(self, "_calls", re.compile(calls or "(?!)"))
        object.__setattr__(self, "_judged", {})
        # The last part of each dotted denied call: most attribute names match none of them.
        members = {p.rpartition(".")[2] for p in self.denied_calls if "." in p}
        pattern = "|".join(fnmatch.translate(member) for member in sorted(members))
        object.__setattr__(self, "_members", re.compile(pattern or "(?!)"))

    def allows(self, qname: str) -> bool:
        """An allowed name, something under one, or a module holding one (to import it)."""
        qname = canonical(qname)
        return any(
            qname == a or qname.startswith(a + ".") or a.startswith(qname + ".")
            for a in self.allowed
        )

    def judge(self, qname: str) -> Violation | None:
        """The violation using ``qname`` is, if any (remembered: scripts repeat names)."""
        if qname not in self._judged:
            if len(self._judged) > _MAX_JUDGED:
                self._judged.clear()
            self._judged[qname] = self._judge(qname)
        return self._judged[qname]

    def _judge(self, qname: str) -> Violation | None:
        qname = canonical(qname)
        if self.allows(qname):
            return None
        parts = qname.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in ESCAPE_CALLS:
                return Violation("SF105", "introspection-escape", prefix, prefix, _ESCAPE)
            if self._calls.match(prefix):
                pattern = next(p for p in self.denied_calls if fnmatch.fnmatchcase(prefix, p))
                reason = _DENIED_CALLS.get(pattern.removeprefix("builtins."), _CUSTOM)
                return Violation("SF102", "denied-call", prefix, pattern, reason)
            if prefix in self.denied_imports:
                reason = _DENIED_IMPORTS.get(prefix, _CUSTOM)
                return Violation("SF101", "denied-import", qname, prefix, reason)
        return None

    def denied_member(self, name: str) -> str | None:
        """A denied call named ``name`` on some object (``system``: ``os.system``), if any:
        what ``operator.methodcaller(name)`` may call, whatever it is applied to."""
        if not self._members.match(name):
            return None
        for pattern in self.denied_calls:
            owner, dot, member = pattern.rpartition(".")
            qname = f"{owner}.{name}"
            if dot and fnmatch.fnmatchcase(name, member) and not self.allows(qname):
                return qname
        return None

    def sensitive(self, qname: str) -> bool:
        """Whether a member of ``qname`` looked up by a computed name may be denied: it has
        denied members, or it is a module holding a module that has (``logging.os``)."""
        return self.owns_denied(qname) or bool(self.holds(qname))

    def owns_denied(self, qname: str) -> bool:
        """Whether ``qname`` (a module, ``builtins``, ``sys.modules``...) has denied members."""
        qname = canonical(qname.removesuffix(".__dict__"))
        if self._allowed_under(qname):
            return False
        return qname in self._sensitive or any(
            qname == m or qname.startswith(m + ".") for m in self.denied_imports
        )

    def holds(self, qname: str) -> tuple[str, ...]:
        """The modules with denied members that the module ``qname`` holds as attributes
        (``logging`` holds ``os``, ``ftplib`` holds ``socket``): a computed lookup on it may
        reach them. One step only: what those modules hold in turn is not followed."""
        qname = canonical(qname.removesuffix(".__dict__"))
        if self._allowed_under(qname):
            return ()
        return tuple(sorted({canonical(m) for m in held_modules(qname) if self.owns_denied(m)}))

    def _allowed_under(self, qname: str) -> bool:
        return any(qname == a or qname.startswith(a + ".") for a in self.allowed)

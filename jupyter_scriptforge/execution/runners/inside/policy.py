"""The runtime policy: the guardrails enforced while a script runs, by PEP 578 audit hooks.

Installed by the launcher in the script's process after its code is compiled and before
it runs; a hook cannot be removed, and forked children keep it. It judges acts, not names:

- SF201 starting a program (``os.system``, ``subprocess``, ``os.exec*``, ``os.posix_spawn``,
  ``os.spawn*``, ``pty``); behind the hook, a seccomp filter makes ``execve`` fail for
  the whole process tree, so a route with no audit event (``_posixsubprocess``) fails too.
- SF202 loading native code: ``ctypes`` libraries and symbols, SQLite extensions, importing
  ``cffi`` from the script's own code.
- SF203 sockets: any ``bind`` (a server), and connections the script makes itself rather
  than through an HTTP client library. Unix sockets inside the run's folders (multiprocessing's
  managers) and multiprocessing's own abstract ones are fine.
- SF204 writing, deleting, renaming or changing files outside the run's folders (the working
  directory, the temporary folder, ``/dev/shm``).
- SF205 unpickling classes, when the script unpickles (through ``pickle`` or its private entry
  points) anything but plain data types and its own classes.
- SF206 running code the script built: ``exec``/``eval``/``compile`` called from its own code,
  and modules written into the run's folders at run time.
- SF207 ``os.fork`` called by the script itself (``multiprocessing`` and
  ``concurrent.futures`` may fork: their children keep the hooks and cannot exec).

Where an act comes from is the nearest Python frame outside the modules that carry the act
out (``socket``, ``pickle``, ``os``...): the standard library and installed packages are
trusted to do their own work (dataclasses and namedtuple compile code, logging opens files
in the run's folder); what the script wrote is not. A refusal prints one line naming the
rule to stderr and raises ``PermissionError``; the team's exceptions lift whole rules.

Acts made from the lines a user wrote themselves (an assistant's version keeps them from
theirs) are the user's: every frame of the script on the stack must be on such a line.

Settings (JSON): ``{"rules": ["SF201", ...], "roots": [folders], "user_lines": [numbers],
"seccomp": true}``; the launcher adds ``script``.
Annotations are quoted: they must not be evaluated by a Python 3.8.
"""

import json
import os
import sys
import types

_REFUSED = "[scriptforge] runtime policy refused"
_PROCESS_EVENTS = frozenset(
    {"os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn"}
)
_NATIVE_EVENTS = frozenset(
    {"ctypes.dlopen", "ctypes.dlsym", "sqlite3.enable_load_extension", "sqlite3.load_extension"}
)
_FILE_EVENTS = {
    # event: the positions of its path arguments
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.mkdir": (0,),
    "os.utime": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
    "shutil.rmtree": (0,),
    "sqlite3.connect": (0,),
}
# Modules whose frames carry an act out for someone else: the origin is further out.
_MECHANISM = {
    "SF203": ("socket.py", "ssl.py", "selectors.py", "asyncio/"),
    "SF205": ("pickle.py", "copyreg.py", "_compat_pickle.py"),
}
# Client libraries that connect for the script (it names a URL, not a socket).
_NETWORK_CLIENTS = (
    "http/client.py",
    "urllib/request.py",
    "urllib3/",
    "requests/",
    "httpx/",
    "httpcore/",
    "aiohttp/",
)
# What a script may unpickle itself: plain data.
_PLAIN_DATA = {
    "builtins": {
        "bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list",
        "object", "range", "set", "slice", "str", "tuple", "NoneType",
    },
    "collections": None,
    "datetime": None,
    "decimal": None,
    "fractions": None,
    "uuid": {"UUID"},
    "copyreg": {"_reconstructor"},
    "_codecs": {"encode"},
    "__main__": None,
}  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class _Policy:
    def __init__(self, settings: "dict[str, object]", script_code: "object") -> None:
        self.rules = set(settings["rules"])  # type: ignore[call-overload]
        self.roots = [os.path.realpath(str(r)) for r in settings["roots"]]  # type: ignore[attr-defined]
        self.script = str(settings["script"])
        self.user_lines = frozenset(settings.get("user_lines") or ())  # type: ignore[call-overload]
        self.script_code = script_code
        self.trusted = self._trusted_prefixes()
        self.busy: "set[int]" = set()

    @staticmethod
    def _trusted_prefixes() -> "tuple[str, ...]":
        """Where the standard library and installed packages live."""
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        prefixes |= {os.path.realpath(p) for p in list(prefixes)}
        prefixes |= {p for p in sys.path if p and os.path.isabs(p) and "-packages" in p}
        return tuple(os.path.join(p, "") for p in prefixes if p and p != "/")

    # --- where an act comes from -------------------------------------------------------

    def _is_trusted(self, filename: "str") -> bool:
        return filename.startswith("<frozen ") or filename.startswith(self.trusted)

    def _origin(self, rule: "str") -> "str":
        """The file of the nearest frame outside this program and the act's mechanism."""
        skip = _MECHANISM.get(rule, ())
        frame: "types.FrameType | None" = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if frame.f_globals is _OWN:
                if frame.f_code.co_name == "run_script":
                    return ""  # what called it started the run: the launcher's, not the script's
            elif not _matches(filename, skip):
                return filename
            frame = frame.f_back
        return ""

    def _from_script(self, rule: "str") -> bool:
        origin = self._origin(rule)
        # No frame but this program's: the launcher itself (printing a traceback).
        return bool(origin) and not self._is_trusted(origin)

    def _in_roots(self, path: "object") -> bool:
        if isinstance(path, int) or path is None:
            return True  # an open descriptor, or the process's own
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        text = str(path)
        if text in ("", ":memory:") or text.startswith("file::memory:"):
            return True
        if text.startswith("file:"):
            text = text[5:].split("?", 1)[0]
        real = os.path.realpath(text)
        return real in ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty") or any(
            real == root or real.startswith(os.path.join(root, "")) for root in self.roots
        )

    # --- the judge ----------------------------------------------------------------------

    def refusal(self, event: "str", args: "tuple[object, ...]") -> "tuple[str, str] | None":
        """The rule an act breaks and how to name it, or None."""
        if event in _PROCESS_EVENTS:
            return "SF201", f"{event}{_shown(args[:2])}"
        if event == "os.fork" or event == "os.forkpty":
            spawn = _spawn_function()
            if spawn:  # forks to exec in the child: refused here, where the script waits
                return "SF201", spawn
            if self._from_script("SF207"):
                return "SF207", event
            return None
        if event in _NATIVE_EVENTS:
            if event == "ctypes.dlopen" and args and args[0] is None:
                return None  # the interpreter itself, which ctypes opens as it imports
            return "SF202", f"{event}{_shown(args[:1])}"
        if event == "import" and args and str(args[0]).split(".")[0] in ("cffi", "_cffi_backend"):
            return ("SF202", f"import {args[0]}") if self._from_script("SF202") else None
        if event == "socket.bind":
            # A probe for IPv6 or a free port (urllib3 does at import) serves no one.
            if self._unix_in_roots(args) or _ephemeral_loopback(args):
                return None
            return "SF203", f"socket.bind{_shown(args[1:2])}"
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            if self._unix_in_roots(args):
                return None
            origin = self._origin("SF203")
            if self._is_trusted(origin) and _matches(origin, _NETWORK_CLIENTS):
                return None
            return "SF203", f"{event}{_shown(args[1:2])}"
        if event == "open":
            path, mode, flags = [*args, None, None, 0][:3]
            if _writes(mode, flags) and not self._in_roots(path):
                return "SF204", f"open({path!r}, {mode!r})"
            return None
        if event in _FILE_EVENTS:
            for position in _FILE_EVENTS[event]:
                if position < len(args) and not self._in_roots(args[position]):
                    return "SF204", f"{event}({args[position]!r})"
            return None
        if event == "pickle.find_class":
            module, name = str(args[0]), str(args[1])
            allowed = _PLAIN_DATA.get(module, ())
            if allowed is None or (allowed and name in allowed):
                return None
            if self._from_script("SF205"):
                return "SF205", f"unpickling {module}.{name}"
            return None
        if event in ("exec", "compile"):
            return self._dynamic(event, args)
        return None

    def _dynamic(self, event: "str", args: "tuple[object, ...]") -> "tuple[str, str] | None":
        code = args[0] if args else None
        if code is self.script_code:
            return None
        filename = getattr(code, "co_filename", None) if event == "exec" else None
        written = filename and os.path.isabs(filename) and self._in_roots(filename)
        if written and filename != self.script:
            return "SF206", f"running {filename}, written at run time"
        if self._from_script("SF206"):
            return "SF206", f"{event} of code built by the script"
        return None

    def _users_own(self) -> bool:
        """Whether the act comes from the user's own lines alone: every frame of the script
        on the stack is on a line its user wrote (an assistant's line calling the user's
        function is the assistant's act)."""
        if not self.user_lines:
            return False
        lines = []
        frame: "types.FrameType | None" = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.script:
                lines.append(frame.f_lineno)
            frame = frame.f_back
        return bool(lines) and all(line in self.user_lines for line in lines)

    def _unix_in_roots(self, args: "tuple[object, ...]") -> bool:
        address = args[1] if len(args) > 1 else None
        if isinstance(address, bytes):
            address = os.fsdecode(address)
        if not isinstance(address, str):
            return False
        if address.startswith("\0listener-"):  # multiprocessing's own, abstract
            return True
        return not address.startswith("\0") and self._in_roots(address)

    def hook(self, event: "str", args: "tuple[object, ...]") -> None:
        if event not in _WATCHED:
            return
        thread = _ident()
        if thread in self.busy:  # our own lookups raise events too
            return
        self.busy.add(thread)
        try:
            found = self.refusal(event, args)
        finally:
            self.busy.discard(thread)
        if found is not None and found[0] in self.rules and not self._users_own():
            rule, what = found
            line = f"{_REFUSED} {rule} ({_RULE_NAMES[rule]}): {what}\n"
            try:
                os.write(2, line.encode("utf-8", "replace"))
            except OSError:
                pass
            raise PermissionError(line.strip())


_RULE_NAMES = {
    "SF201": "starts a program",
    "SF202": "loads native code",
    "SF203": "opens a socket",
    "SF204": "changes files outside the run's folders",
    "SF205": "unpickles code",
    "SF206": "runs code built at run time",
    "SF207": "forks the script",
}
_WATCHED = frozenset(
    {*_PROCESS_EVENTS, *_NATIVE_EVENTS, *_FILE_EVENTS, "os.fork", "os.forkpty", "import"}
    | {"socket.bind", "socket.connect", "socket.sendto", "socket.sendmsg", "open"}
    | {"pickle.find_class", "exec", "compile"}
)


_OWN = globals()  # this program's frames (and the launcher's): never an act's origin


def _matches(filename: "str", patterns: "tuple[str, ...]") -> bool:
    """Whether ``filename`` is one of ``patterns``: a file (``x.py``) or a folder (``x/``)."""
    return any(filename.endswith(p) if p.endswith(".py") else f"/{p}" in filename for p in patterns)


def _ephemeral_loopback(args: "tuple[object, ...]") -> bool:
    address = args[1] if len(args) > 1 else None
    return (
        isinstance(address, tuple)
        and len(address) >= 2
        and address[0] in ("127.0.0.1", "::1", "localhost")
        and address[1] == 0
    )


def _ident() -> int:
    import _thread

    return _thread.get_ident()


def _spawn_function() -> "str":
    """``os.spawn*`` when it is what forks (on POSIX it is Python: a fork, then an exec in
    the child, which the script may end before its refusal is printed); else empty."""
    frame: "types.FrameType | None" = sys._getframe(1)
    while frame is not None and frame.f_globals is _OWN:
        frame = frame.f_back
    if frame is None or frame.f_code.co_name != "_spawnvef" or frame.f_globals is not os.__dict__:
        return ""
    shown = _shown((frame.f_locals.get("file"), frame.f_locals.get("args")))
    name = "spawn"
    while frame is not None and frame.f_globals is os.__dict__:  # the one the script called
        name, frame = frame.f_code.co_name, frame.f_back
    return f"os.{name}{shown}"


def _shown(args: "tuple[object, ...]") -> str:
    text = repr(tuple(args)) if len(args) != 1 else f"({args[0]!r})"
    return text if len(text) <= 160 else text[:157] + "...)"


def _writes(mode: "object", flags: "object") -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _deny_exec() -> bool:
    """A seccomp filter that makes execve and execveat fail with EPERM, for this process
    and every child; returns whether it is in place (x86-64 and arm64 Linux)."""
    import ctypes
    import platform
    import struct

    arch, numbers = {
        "x86_64": (0xC000003E, (59, 322)),
        "aarch64": (0xC00000B7, (221, 281)),
    }.get(platform.machine(), (0, ()))
    if not numbers:
        return False
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    allow, eperm = 0x7FFF0000, 0x00050000 | 1
    program = [
        (ld, 0, 0, 4),  # the architecture
        (jeq, 1, 0, arch),
        (ret, 0, 0, allow),  # another ABI: not ours to judge
        (ld, 0, 0, 0),  # the system call number
        (jeq, 2, 0, numbers[0]),
        (jeq, 1, 0, numbers[1]),
        (ret, 0, 0, allow),
        (ret, 0, 0, eperm),
    ]
    raw = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(raw)

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    fprog = _Program(len(program), ctypes.addressof(buffer))
    return bool(libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0)


def install_runtime_policy(script: "str", settings_text: "str", script_code: "object") -> None:
    """Enforce the policy from here on; called once, before the script runs."""
    settings = json.loads(settings_text)
    settings["script"] = script
    policy = _Policy(settings, script_code)
    if "SF201" in policy.rules and settings.get("seccomp", True):
        _deny_exec()
    sys.addaudithook(policy.hook)

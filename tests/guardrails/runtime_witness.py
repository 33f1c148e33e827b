"""A witness of acts, for tests: an audit hook installed after the runtime policy's.

Hooks run in the order they were added and the first refusal ends the event, so this one
sees only what the policy let through. It prints ``SF-WITNESS <event>`` for every act a
hostile payload would be (a program started, native code loaded, a socket opened, a file
changed outside the run's folders, a class unpickled): with the policy on, a hostile script
must never make it print. Run inside the sandbox, joined between inside/policy.py and
inside/launch.py; standard library only.
"""

import os
import sys

_ACTS = frozenset(
    {
        "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn",
        "ctypes.dlsym", "sqlite3.load_extension", "socket.connect", "socket.bind",
        "socket.sendto", "socket.sendmsg", "os.remove", "os.rmdir", "os.rename",
        "shutil.rmtree", "os.chmod", "os.truncate",
    }
)  # fmt: skip
# The sandbox's own folders: the run's folder (its home) is /tmp/work, or /work in a container.
# (Not _OWN: the programs share one namespace, and the policy has an _OWN of its own.)
_FOLDERS = ("/tmp/", "/work/", "/dev/shm/", "/dev/null")
_PLAIN = ("builtins", "collections", "datetime", "copyreg", "_codecs", "__main__")
_install_policy = install_runtime_policy  # type: ignore[name-defined]  # noqa: F821


def _witness(event: "str", args: "tuple[object, ...]") -> None:
    acted = event in _ACTS
    if event == "ctypes.dlopen":
        acted = bool(args) and args[0] is not None
    if event == "pickle.find_class":
        acted = str(args[0]) not in _PLAIN
    if event == "open" and len(args) > 1 and isinstance(args[1], str):
        inside = isinstance(args[0], int) or _ours(str(args[0]))
        acted = any(c in args[1] for c in "wax+") and not inside
    if event in ("os.remove", "os.rmdir", "os.rename", "shutil.rmtree", "os.chmod", "os.truncate"):
        # The run's own folders (its home among them) hold nothing but what it made.
        acted = not _ours(str(args[0] if args else ""))
    if event == "socket.bind" and len(args) > 1 and isinstance(args[1], tuple):
        acted = tuple(args[1][:2]) not in (("::1", 0), ("127.0.0.1", 0))  # a probe serves no one
    if acted:
        os.write(2, f"SF-WITNESS {event} {str(args)[:120]}\n".encode("utf-8", "replace"))


def _ours(path: "str") -> bool:
    return os.path.join(os.path.abspath(path), "").startswith(_FOLDERS)


def install_runtime_policy(script: "str", settings: "str", code: "object") -> None:
    _install_policy(script, settings, code)
    sys.addaudithook(_witness)

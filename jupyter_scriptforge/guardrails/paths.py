"""Whether a path expression names a place outside a script's own working area.

A script deletes what it made: relative paths, temporary folders. A literal absolute path
(``"/etc"``, ``Path("/")``, ``"~/"``, ``Path.home()``, ``os.environ["HOME"]``, ``"C:\\"``)
handed to a deleting call is the mark of a destructive script, generated or not.
"""

from __future__ import annotations

import ast
import posixpath
import re

from .names import Names

# Where deleting an absolute path is ordinary housekeeping.
_SCRATCH = ("/tmp/", "/var/tmp/", "/dev/shm/")  # noqa: S108 - names, not files we write
_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
_HOME_VARIABLES = frozenset({"HOME", "USERPROFILE", "HOMEDRIVE", "SYSTEMROOT", "WINDIR"})
_HOME = "~"
_MAX_DEPTH = 12

# Calls whose first argument becomes their result's path (or its start).
_PATH_WRAPPERS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.PurePosixPath",
        "pathlib.WindowsPath",
        "pathlib.PureWindowsPath",
        "os.path.join",
        "os.path.expanduser",
        "os.path.normpath",
        "os.path.realpath",
        "os.path.abspath",
        "os.fspath",
        "posixpath.join",
        "builtins.str",
    }
)
_HOME_CALLS = frozenset({"pathlib.Path.home", "pathlib.PosixPath.home", "os.path.expanduser"})
_ENVIRONMENT_READS = frozenset({"os.getenv", "os.environ.get"})
# Path methods that keep the path they are called on as the start of their result.
_PATH_METHODS = frozenset({"expanduser", "resolve", "absolute", "joinpath", "__truediv__"})


def is_system_path(text: str) -> bool:
    """An absolute path other than a scratch folder, a home folder, or a Windows drive."""
    if text.startswith("~") or _WINDOWS_ABSOLUTE.match(text):
        return True
    if not text.startswith("/"):
        return False
    normal = posixpath.normpath(text) + "/"
    return not any(normal.startswith(scratch) and normal != scratch for scratch in _SCRATCH)


def system_path(expr: ast.expr, names: Names, depth: int = 0) -> str | None:
    """The system path ``expr`` may name (as written, or ``~`` for a home folder), else None."""
    if depth > _MAX_DEPTH:
        return None
    depth += 1
    strings = names.strings(expr)
    if strings is not None:
        return next((s for s in sorted(strings) if is_system_path(s)), None)
    if isinstance(expr, ast.Name):
        for value in names.values.get(expr.id, ()):
            found = system_path(value, names, depth)
            if found:
                return found
        return None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        return system_path(expr.values[0], names, depth)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div | ast.Add):
        return system_path(expr.left, names, depth)
    if isinstance(expr, ast.Subscript):
        return _environment(names.resolve(expr.value), expr.slice, names, "os.environ")
    if isinstance(expr, ast.Call):
        return _call(expr, names, depth)
    return None


def _call(call: ast.Call, names: Names, depth: int) -> str | None:
    func = names.resolve(call.func)
    if func & _HOME_CALLS and not call.args:
        return _HOME
    if func & _PATH_WRAPPERS and call.args:
        return system_path(call.args[0], names, depth)
    if func & _ENVIRONMENT_READS and call.args:
        return _environment(func, call.args[0], names, *_ENVIRONMENT_READS)
    if isinstance(call.func, ast.Attribute) and call.func.attr in _PATH_METHODS:
        return system_path(call.func.value, names, depth)
    return None


def _environment(
    resolved: frozenset[str], key: ast.expr, names: Names, *readers: str
) -> str | None:
    if not resolved & set(readers):
        return None
    variables = names.strings(key) or set()
    return _HOME if variables & _HOME_VARIABLES else None

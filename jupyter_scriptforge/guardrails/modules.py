"""The modules a real module holds as attributes: ``logging.os``, ``random._os``, ``pdb.code``.

A computed lookup on a module may reach any of them (``getattr(logging, name)`` may be
``os``), which the names in a script cannot show; so the module itself is asked. Only modules
of the standard library are imported to ask (from the standard library's own folder: never a
script's file that shadows one), and the few whose import does something are not; any other
module is asked only when this process has imported it already. The script is never run.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import sysconfig
import types
import warnings
from functools import lru_cache
from pathlib import Path

# Standard-library modules whose import acts (opens a browser, prints, starts IDLE, runs the
# test suite, takes the terminal) or loads a GUI toolkit: never imported to be asked.
_ACTING = frozenset(
    {
        "antigravity",
        "this",
        "__hello__",
        "__phello__",
        "idlelib",
        "turtledemo",
        "turtle",
        "tkinter",
        "test",
        "readline",
    }
)
_STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()
_MAX_MODULES = 1024  # module names remembered


@lru_cache(maxsize=_MAX_MODULES)
def held_modules(name: str) -> frozenset[str]:
    """The names (``__name__``) of the modules the module ``name`` holds as attributes; empty
    when it is no module we may import (or it fails to import: then there is nothing to see)."""
    module = _module(name)
    if module is None:
        return frozenset()
    values = list(vars(module).values())  # a copy: another thread may be importing into it
    held = (getattr(v, "__name__", None) for v in values if isinstance(v, types.ModuleType))
    return frozenset(n for n in held if isinstance(n, str))


def _module(name: str) -> types.ModuleType | None:
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts) or "__main__" in parts:
        return None  # a module's __main__ runs it
    if name in sys.modules:  # some packages put other objects there
        module = sys.modules[name]
        return module if isinstance(module, types.ModuleType) else None
    if not _standard(parts[0]):
        return None
    try:
        with warnings.catch_warnings():  # deprecated modules warn when imported
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except (Exception, SystemExit):  # no such module, or one that cannot load here
        return None


def _standard(top: str) -> bool:
    """Whether ``top`` is a standard-library module, found where the standard library is."""
    if top not in sys.stdlib_module_names or top in _ACTING:
        return False
    try:  # a loaded module's own spec (a shadow loaded already has its submodules beside it)
        spec = importlib.util.find_spec(top)
    except (Exception, SystemExit):
        return False
    if spec is None or spec.origin is None:
        return False
    if spec.origin in ("built-in", "frozen"):
        return True
    origin = Path(spec.origin).resolve()
    return origin.is_relative_to(_STDLIB) and not {"site-packages", "dist-packages"} & set(
        origin.parts
    )

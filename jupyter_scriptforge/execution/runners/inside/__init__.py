"""Programs that run inside a sandbox, under the script's own interpreter.

They are never imported by the server: a runner reads their text and hands it to the
interpreter with ``-c``. So they use the standard library only, and stay compatible with
every interpreter a script may name (CPython 3.8 and later, PyPy 3.9).
"""

from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent


@cache
def program_text(*names: str) -> str:
    """The text of the named programs, joined: each may use what the earlier ones define."""
    return "\n".join((_HERE / f"{name}.py").read_text(encoding="utf-8") for name in names)

"""The environment a script sees: a clean base plus the parameters the user passed.

Nothing of the server's own environment reaches a script (its token, ``JUPYTERHUB_*``,
``JPY_*``, cloud keys): the base is built from scratch, and a user parameter may not be a
variable that the dynamic loader or the C library read, since parts of the sandbox start
as root before the script's own user takes over.
"""

import re
from collections.abc import Mapping

from ...errors import InvalidInput
from .base import OUTPUT_FOLDER

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
# glibc ignores these for set-user-ID programs; our launchers are root without being
# set-user-ID, so we refuse them ourselves.
_LOADER_VARIABLES = frozenset(
    {
        "GCONV_PATH",
        "GETCONF_DIR",
        "GLIBC_TUNABLES",
        "HOSTALIASES",
        "LOCALDOMAIN",
        "LOCPATH",
        "MALLOC_ARENA_MAX",
        "MALLOC_TRACE",
        "NIS_PATH",
        "NLSPATH",
        "RESOLV_HOST_CONF",
        "RES_OPTIONS",
        "TMPDIR",
        "TZDIR",
    }
)
_MAX_VALUE_CHARS = 32_768
_MAX_VARIABLES = 100

SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


def check_parameters(params: object) -> dict[str, str]:
    """User environment parameters, validated: names, values and count."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise InvalidInput("env must be an object of NAME: value strings.")
    if len(params) > _MAX_VARIABLES:
        raise InvalidInput(f"env has {len(params)} variables; at most {_MAX_VARIABLES}.")
    checked: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InvalidInput(f"env name {name!r} is not a variable name.")
        if name.startswith("LD_") or name in _LOADER_VARIABLES:
            raise InvalidInput(f"env {name} cannot be set: the loader reads it.")
        if name.startswith("SCRIPTFORGE_"):
            raise InvalidInput(f"env {name} cannot be set: ScriptForge sets it.")
        if not isinstance(value, str) or "\0" in value or len(value) > _MAX_VALUE_CHARS:
            raise InvalidInput(f"env {name} must be a string without NUL, at most 32 KiB.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(f"env {name} is not valid Unicode text.") from None
        checked[name] = value
    return checked


def script_environment(
    params: Mapping[str, str], home: str, inputs: str | None = None
) -> dict[str, str]:
    """The whole environment of a script: a fixed base, then the user's parameters, then
    where its output folder is (in ``home``) and, with ``inputs``, earlier runs' output."""
    base = {
        "PATH": SAFE_PATH,
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # Output reaches the user as it is written, not when a buffer fills.
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    folders = {"SCRIPTFORGE_OUTPUT": f"{home}/{OUTPUT_FOLDER}"}
    if inputs is not None:
        folders["SCRIPTFORGE_INPUTS"] = inputs
    return {**base, **params, **folders}

"""Rules for script names, folders and tags, and where a script's file lives."""

import re
from pathlib import PurePosixPath

from ..errors import InvalidInput

_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\- ]{0,127}$")
_TAG = re.compile(r"^[a-z0-9][a-z0-9_.:\-]{0,63}$")
_INTERPRETER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-+]{0,127}$")
MAX_FOLDER_DEPTH = 8
MAX_TAGS = 32
VISIBILITIES = ("private", "team")


def script_name(name: object) -> str:
    """A valid name, without the ``.py`` the file adds."""
    if not isinstance(name, str):
        raise InvalidInput("The name must be a string.")
    name = name.strip()
    name = name.removesuffix(".py")
    if not _SEGMENT.match(name) or name.endswith((".", " ")):
        raise InvalidInput(
            f"{name!r} is not a valid script name: use 1-128 letters, digits, spaces or "
            "_ . -, starting with a letter, digit or _."
        )
    return name


def folder(path: object) -> str:
    """A normalized folder: segments joined by ``/``, ``""`` for the top level."""
    if not isinstance(path, str):
        raise InvalidInput("The folder must be a string.")
    segments = [segment.strip() for segment in path.strip().strip("/").split("/") if segment]
    if len(segments) > MAX_FOLDER_DEPTH:
        raise InvalidInput(f"Folders nest at most {MAX_FOLDER_DEPTH} deep.")
    for segment in segments:
        if not _SEGMENT.match(segment) or segment.endswith((".", " ")):
            raise InvalidInput(f"{segment!r} is not a valid folder name.")
    return "/".join(segments)


def tags(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput("Tags must be a list of strings.")
    normalized = sorted({value.strip().lower() for value in values})
    for tag in normalized:
        if not _TAG.match(tag):
            raise InvalidInput(
                f"{tag!r} is not a valid tag: 1-64 lowercase letters, digits or _ . : -."
            )
    if len(normalized) > MAX_TAGS:
        raise InvalidInput(f"A script has at most {MAX_TAGS} tags.")
    return normalized


def interpreter(name: object) -> str | None:
    if name is None:
        return None
    if not isinstance(name, str) or not _INTERPRETER.match(name):
        raise InvalidInput("The interpreter is a name such as 'cpython-3.12', not a path.")
    return name


def visibility(value: object) -> str:
    if value not in VISIBILITIES:
        raise InvalidInput(f"Visibility is one of {', '.join(VISIBILITIES)}.")
    assert isinstance(value, str)
    return value


def user_name(value: object, field: str) -> str:
    """A user's name as JupyterHub gives it: 1-255 characters, no control characters."""
    if (
        not isinstance(value, str)
        or not 0 < len(value) <= 255
        or value != value.strip()
        or any(ord(c) < 32 or c in "/\x7f" for c in value)
    ):
        raise InvalidInput(f"{field} must be a user's name.")
    return value


def relative_file(folder_path: str, name: str) -> PurePosixPath:
    """The working copy's path below the scripts folder."""
    return PurePosixPath(folder_path, f"{name}.py") if folder_path else PurePosixPath(f"{name}.py")


def parse_relative_file(relative: PurePosixPath) -> tuple[str, str] | None:
    """(folder, name) of a ``.py`` file below the scripts folder, None if it is not one."""
    if relative.suffix != ".py" or any(part.startswith(".") for part in relative.parts):
        return None
    try:
        return folder(str(relative.parent) if str(relative.parent) != "." else ""), script_name(
            relative.stem
        )
    except InvalidInput:
        return None

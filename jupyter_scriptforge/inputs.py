"""The fields of a JSON request body, checked: each resource's ``*_requests`` module builds its
requests from these, so that every field of every resource is refused the same way (a 400,
``InvalidInput``, naming the field) and nothing reaches a service unchecked."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .errors import InvalidInput

# Ids are 32-bit integers in every database we support; larger numbers name nothing.
MAX_ID = 2**31 - 1
_MAX_ARGS = 100
_MAX_ARG_CHARS = 4096

Body = Mapping[str, Any]


def known_fields(body: Body, allowed: Collection[str], required: Collection[str] = ()) -> None:
    """Refuse a body with a field outside ``allowed`` or without a ``required`` one."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}.")
    for key in required:
        if key not in body:
            raise InvalidInput(f"{key} is required.")


def optional_int(body: Body, key: str) -> int | None:
    """An integer field in the ids' range, or None."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{key} must be an integer.")
    if abs(value) > MAX_ID:
        raise InvalidInput(f"{key} is out of range.")
    return value


def required_int(body: Body, key: str) -> int:
    value = optional_int(body, key)
    if value is None:
        raise InvalidInput(f"{key} is required.")
    return value


def optional_id(body: Body, key: str) -> int | None:
    """A positive id, or None."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidInput(f"{key} must be a positive integer.")
    return value


def optional_text(body: Body, key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{key} must be a string.")
    return value


def required_text(body: Body, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise InvalidInput(f"{key} is required and must be a string.")
    return value


def optional_name(body: Body, key: str) -> str | None:
    """A name of 1 to 255 characters any database keeps, or None."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 255 or not storable(value):
        raise InvalidInput(f"{key} must be a name of 1 to 255 characters.")
    return value


def storable(text: str) -> bool:
    """Text every database keeps: no NUL, no lone surrogate."""
    if "\0" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def arguments(value: object) -> list[str]:
    """A script's command-line arguments."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(arg, str) for arg in value):
        raise InvalidInput("args must be a list of strings.")
    if len(value) > _MAX_ARGS:
        raise InvalidInput(f"args has {len(value)} items; at most {_MAX_ARGS}.")
    for arg in value:
        if len(arg) > _MAX_ARG_CHARS or not storable(arg):
            raise InvalidInput("Each argument is at most 4096 characters of text, without NUL.")
    return list(value)


def timeout(value: object, maximum: float) -> float | None:
    """Seconds above 0, at most ``maximum``, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= maximum:
        raise InvalidInput(f"timeout must be a number of seconds above 0, at most {maximum:g}.")
    return float(value)

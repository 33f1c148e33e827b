"""``--param NAME=VALUE``: a script's parameter values typed from the command line, made into
the JSON values its parameter schema asks for (the server checks them, and names a field it
refuses)."""

from __future__ import annotations

import json
from typing import Any

from .command import CommandError

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parameter_values(schema: dict[str, Any] | None, pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs as values: numbers, booleans and lists where the schema has
    them (a list as ``a,b`` or JSON), text otherwise."""
    properties = (schema or {}).get("properties", {})
    values: dict[str, Any] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals or not name:
            raise CommandError(f"--param takes NAME=VALUE, not {pair!r}")
        values[name] = _value(properties.get(name, {}), text)
    return values


def _value(schema: dict[str, Any], text: str) -> Any:
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "null" in kinds and text == "":
        return None
    if "array" in kinds:
        items = _list(text)
        return [_value(schema.get("items", {}), str(item)) for item in items]
    if "boolean" in kinds and text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    for kind, parse in (("integer", int), ("number", float)):
        if kind in kinds:
            try:
                return parse(text)
            except ValueError:
                pass  # sent as it is: the server says what it expected
    return text


def _list(text: str) -> list[Any]:
    if text.startswith("["):
        try:
            found = json.loads(text)
        except ValueError:
            raise CommandError(f"{text!r} is no JSON list") from None
        if isinstance(found, list):
            return found
    return text.split(",") if text else []

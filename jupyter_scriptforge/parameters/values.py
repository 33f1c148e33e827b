"""A run's parameter values: checked against the schema read from its version's code, and
turned into the command line its ``argparse`` parser reads back as those values, or into the
call of its ``main``."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from ..errors import InvalidInput
from ..inputs import arguments
from .reader import Parameter, Parameters

# The formats a ``main`` argument's value is converted from, parsed as the run will parse
# them: the texts are sent on in ISO form, which every Python from 3.8 reads back.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": datetime.date.fromisoformat,
    "date-time": lambda text: datetime.datetime.fromisoformat(text.replace("Z", "+00:00")),
    "time": datetime.time.fromisoformat,
}
_FORMATS = FormatChecker(formats=())
for _name, _parse in _PARSERS.items():
    _FORMATS.checks(_name, raises=ValueError)(lambda value, parse=_parse: _parsed(parse, value))


def _parsed(parse: Callable[[str], Any], value: object) -> bool:
    if isinstance(value, str):
        parse(value)
    return True


def check_values(parameters: Parameters, values: dict[str, Any]) -> None:
    """400 naming the first field whose value the schema refuses (an unknown field too)."""
    validator = Draft202012Validator(parameters.json_schema(), format_checker=_FORMATS)
    error = next(iter(sorted(validator.iter_errors(values), key=lambda e: list(e.path))), None)
    if error is None:
        return
    if error.path:
        field = str(error.path[0])
        raise InvalidInput(f"Parameter {field!r}: {error.message}", field=field)
    missing = [name for name in error.schema.get("required", []) if name not in values]
    if error.validator == "required" and missing:
        raise InvalidInput(f"Parameter {missing[0]!r} is required.", field=missing[0])
    unknown = [name for name in values if name not in error.schema.get("properties", {})]
    if error.validator == "additionalProperties" and unknown:
        raise InvalidInput(f"There is no parameter {unknown[0]!r}.", field=unknown[0])
    raise InvalidInput(f"Parameters: {error.message}")


def argv_of(parameters: Parameters, values: dict[str, Any]) -> list[str]:
    """The arguments that give ``values`` to the script's parser: options first, written
    ``--name=value`` so that a value starting with "-" stays a value, then ``--`` and the
    positionals. A parameter left out (or null) is left to its default."""
    options: list[str] = []
    positionals: list[str] = []
    left_out: str | None = None
    for parameter in parameters.items:
        value = values.get(parameter.name)
        if value is None:
            if parameter.flag is None:
                left_out = left_out or parameter.name
            continue
        if parameter.flag is not None:
            options += _option(parameter, value)
            continue
        if left_out is not None:
            # argparse fills positionals in order: this value would land in the other.
            raise InvalidInput(
                f"Parameter {left_out!r} is needed before {parameter.name!r}.", field=left_out
            )
        positionals += [_text(parameter, item) for item in _listed(value)]
    argv = options + (["--", *positionals] if positionals else [])
    return arguments(argv)  # the limits of any run's arguments


def _option(parameter: Parameter, value: Any) -> list[str]:
    flag = parameter.flag
    assert flag is not None
    if parameter.action == "store_true":
        return [flag] if value else []
    if parameter.action == "store_false":
        return [] if value else [flag]
    if parameter.action == "count":
        return [flag] * int(value)
    if parameter.action in ("append", "extend"):  # the option once per value
        return [part for item in _listed(value) for part in _joined(flag, _text(parameter, item))]
    if isinstance(value, list):  # nargs: the option once, then its values
        items = [_text(parameter, item) for item in value]
        if any(item.startswith("-") for item in items):
            # argparse would take it for an option: no command line gives this value.
            raise InvalidInput(
                f"Parameter {parameter.name!r}: a value of this list cannot start with '-'.",
                field=parameter.name,
            )
        return [flag, *items] if items else []
    return _joined(flag, _text(parameter, value))


def _joined(flag: str, value: str) -> list[str]:
    # argparse reads "--name=value", "-name=value" and "-nVALUE" as the value, whatever it
    # starts with.
    if len(flag) > 2:
        return [f"{flag}={value}"]
    return [flag + value] if value.startswith("-") else [flag, value]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _text(parameter: Parameter, value: Any) -> str:
    if value == "--":  # argparse drops it wherever it stands
        raise InvalidInput(
            f"Parameter {parameter.name!r}: '--' cannot be passed as a value.",
            field=parameter.name,
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # JSON's 5.0 is an integer too; int("5.0") fails
    return str(value)


def main_call(parameters: Parameters, values: dict[str, Any]) -> str:
    """What inside/script_main.py calls ``main`` with: the values (dates and times in ISO
    form, None for a left-out argument that takes it) and, by name, the kind of those it
    converts (``date``, ``date-time``, ``time``, ``path``; for a list, of each item)."""
    given: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    for parameter in parameters.items:
        if parameter.name not in values or values[parameter.name] is None:
            if parameter.none_if_left_out:
                given[parameter.name] = None
            continue
        kind = _kind(parameter.schema)
        value = values[parameter.name]
        if kind is not None:
            kinds[parameter.name] = kind
            value = _iso(kind, value)
        given[parameter.name] = value
    return json.dumps({"values": given, "kinds": kinds})


def _kind(schema: dict[str, Any]) -> str | None:
    items = schema.get("items")
    found = (items if schema.get("type") == "array" and isinstance(items, dict) else schema).get(
        "format"
    )
    return found if found in (*_PARSERS, "path") else None


def _iso(kind: str, value: Any) -> Any:
    if isinstance(value, list):
        return [_iso(kind, item) for item in value]
    parse = _PARSERS.get(kind)
    return parse(value).isoformat() if parse is not None and isinstance(value, str) else value

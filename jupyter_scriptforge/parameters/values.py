"""A run's parameter values: checked against the schema read from its version's code, and
turned into the command line its ``argparse`` parser reads back as those values."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from ..errors import InvalidInput
from ..inputs import arguments
from .reader import Parameter, Parameters


def check_values(parameters: Parameters, values: dict[str, Any]) -> None:
    """400 naming the first field whose value the schema refuses (an unknown field too)."""
    validator = Draft202012Validator(parameters.json_schema())
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

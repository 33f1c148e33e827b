"""What a script takes, read from its code without running it: the arguments it declares to
``argparse``, or else the signature of a top-level ``def main(...)`` (Windmill's convention).

Only what the code states literally is read (names, ``type=int``, defaults that are
literals, ``choices``, ``help``, ``required``, ``store_true``; annotations such as
``int``, ``date | None``, ``Literal["a", "b"]``); anything computed is taken as text, and a
script whose parameters cannot be read this way keeps free-form arguments.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["argparse", "main"]

# JSON Schema of the values of a type named in code.
_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "Path": {"type": "string", "format": "path"},
    "PurePath": {"type": "string", "format": "path"},
    "PosixPath": {"type": "string", "format": "path"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time"},
}
_TEXT: dict[str, Any] = {"type": "string"}
_MISSING = object()
_SUPPRESS = "==SUPPRESS=="  # argparse.SUPPRESS


@dataclass(frozen=True)
class Parameter:
    """One parameter: ``name`` is the form's field (argparse's ``dest``); ``flag`` the
    option that passes it (``--count``), None for a positional or a ``main`` argument."""

    name: str
    schema: dict[str, Any]
    required: bool = False
    help: str | None = None
    flag: str | None = None
    # argparse's action: ``store`` (with a list, ``nargs``), ``append``, ``extend``,
    # ``store_true``, ``store_false``, ``count``; how a value becomes argv.
    action: str = "store"
    # A ``main`` argument with no default that takes None (``when: date | None``): a value
    # left out is passed as None.
    none_if_left_out: bool = False


@dataclass(frozen=True)
class Parameters:
    style: Style
    items: tuple[Parameter, ...] = field(default_factory=tuple)

    def json_schema(self) -> dict[str, Any]:
        """A JSON Schema of an object of the parameters' values, fields in code order."""
        properties: dict[str, Any] = {}
        for item in self.items:
            entry = {"title": item.name, **item.schema}
            if item.help:
                entry["description"] = item.help
            properties[item.name] = entry
        return {
            "type": "object",
            "properties": properties,
            "required": [item.name for item in self.items if item.required],
            "additionalProperties": False,
        }


def read_parameters(source: str) -> Parameters | None:
    """The parameters ``source`` declares, or None if it declares none it can be read for
    (it does not parse, or it has neither ``add_argument`` calls nor a ``main`` taking
    arguments)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    declared = _argparse_parameters(tree)
    if declared is None:
        return None  # a parser not read whole: free-form arguments
    if declared:
        return Parameters("argparse", tuple(declared))
    taken = _main_parameters(tree)
    if taken:
        return Parameters("main", tuple(taken))
    return None


# --- argparse ------------------------------------------------------------------------


class _UnreadableError(Exception):
    """The script's parser holds something not read here: its command line is its own."""


def _argparse_parameters(tree: ast.Module) -> list[Parameter] | None:
    """The arguments of the script's parser, positionals first (as on a command line); an
    empty list if it has none; None if any of them cannot be read whole (a sub-command, an
    argument added by a helper or with a computed name, action or ``nargs``), since a form
    missing one of them would give command lines the parser refuses."""
    parsers = _parser_names(tree)
    calls = sorted(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add_argument", "add_subparsers")
        ),
        key=lambda node: (node.lineno, node.col_offset),
    )
    found: list[Parameter] = []
    try:
        for node in calls:
            assert isinstance(node.func, ast.Attribute)
            receiver = node.func.value
            if node.func.attr == "add_subparsers":
                raise _UnreadableError
            if not (isinstance(receiver, ast.Name) and receiver.id in parsers):
                raise _UnreadableError  # a parser handed to a helper, or not a parser at all
            parameter = _argument(node)
            if parameter is not None and all(p.name != parameter.name for p in found):
                found.append(parameter)
    except _UnreadableError:
        return None
    return sorted(found, key=lambda p: p.flag is not None)


def _parser_names(tree: ast.Module) -> set[str]:
    """Names bound to an ``ArgumentParser`` or one of its argument groups."""
    constructors = {"ArgumentParser"}
    parsers: set[str] = set()
    # In source order: a group is made from a parser bound before it.
    assignments = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AnnAssign)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in assignments:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        makes_parser = (isinstance(func, ast.Name) and func.id in constructors) or (
            isinstance(func, ast.Attribute) and func.attr in constructors
        )
        makes_group = (
            isinstance(func, ast.Attribute)
            and func.attr in ("add_argument_group", "add_mutually_exclusive_group")
            and isinstance(func.value, ast.Name)
            and func.value.id in parsers
        )
        if makes_parser or makes_group:
            parsers.update(t.id for t in targets if isinstance(t, ast.Name))
    return parsers


# The largest repeat count a form offers for an option that counts (``-vvv``).
_MAX_COUNT = 100


def _argument(call: ast.Call) -> Parameter | None:
    """One ``add_argument`` call as a parameter; None for ``--help`` and ``--version``."""
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names or len(names) != len(call.args) or any(k.arg is None for k in call.keywords):
        raise _UnreadableError
    options = {k.arg: k.value for k in call.keywords if k.arg is not None}
    action = _read(options, "action", "store")
    if action in ("help", "version"):
        return None
    positional = not names[0].startswith("-")
    if positional:
        name, flag = names[0], None
    else:
        longest = max(names, key=lambda n: (n.startswith("--"), len(n)))
        name, flag = longest.lstrip("-").replace("-", "_"), longest
    dest = _read(options, "dest", name)
    if not isinstance(dest, str) or not dest.isidentifier():
        raise _UnreadableError
    name = dest
    help_text = _literal(options.get("help"), None)
    help_text = help_text if isinstance(help_text, str) and help_text != _SUPPRESS else None
    default = _literal(options.get("default"), _MISSING)
    if default == _SUPPRESS:
        default = _MISSING

    if action in ("store_true", "store_false"):
        unset = action == "store_false"  # the value when the flag is not given
        if default is not _MISSING and default is not unset:
            raise _UnreadableError  # a flag that cannot give its other value
        schema: dict[str, Any] = {"type": "boolean", "default": unset}
        return Parameter(name, schema, False, help_text, flag, action)
    if action == "count":
        schema = {"type": "integer", "minimum": 0, "maximum": _MAX_COUNT, "default": 0}
        return Parameter(name, schema, False, help_text, flag, action)
    nargs = _read(options, "nargs", None)
    if action not in ("store", "append", "extend"):
        raise _UnreadableError  # store_const, append_const, an Action class of its own...
    counted = isinstance(nargs, int) and not isinstance(nargs, bool) and nargs >= 1
    if nargs not in (None, "?", "*", "+") and not counted:
        raise _UnreadableError
    if action == "extend" and nargs is None:
        raise _UnreadableError  # extends by each character of the value
    if action == "append" and nargs is not None:
        raise _UnreadableError  # a list of lists
    if positional and action != "store":
        raise _UnreadableError

    value_schema = _type_schema(options.get("type"))
    choices = _literal(options.get("choices"), None)
    if isinstance(choices, list | tuple) and choices and all(_is_json(c) for c in choices):
        value_schema = {**value_schema, "enum": list(choices)}
    many = action in ("append", "extend") or nargs in ("*", "+") or counted
    schema = {"type": "array", "items": value_schema} if many else dict(value_schema)
    if many and nargs == "+":
        schema["minItems"] = 1
    if counted and action == "store":
        schema["minItems"] = schema["maxItems"] = nargs
    if default is not _MISSING and default is not None and _is_json(default):
        schema["default"] = list(default) if isinstance(default, tuple) else default
    # A positional is asked for, default or not, unless its nargs says it may be left out.
    required = nargs not in ("?", "*") if positional else _read(options, "required", False) is True
    return Parameter(name, schema, required, help_text, flag, action)


def _read(options: dict[str, ast.expr], key: str, otherwise: Any) -> Any:
    """A keyword's literal value; ``otherwise`` if absent; unreadable if computed."""
    if key not in options:
        return otherwise
    value = _literal(options[key], _MISSING)
    if value is _MISSING:
        raise _UnreadableError
    return value


def _type_schema(node: ast.expr | None) -> dict[str, Any]:
    if node is None:
        return dict(_TEXT)
    name = _dotted_tail(node)
    if name == "bool":  # bool("False") is True: argparse's bool takes text
        return dict(_TEXT)
    return dict(_TYPES.get(name or "", _TEXT))


# --- def main(...) ---------------------------------------------------------------------


def _main_parameters(tree: ast.Module) -> list[Parameter]:
    main = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "main"
        ),
        None,
    )
    if main is None:
        return []
    arguments = main.args
    if arguments.posonlyargs:
        return []  # values are passed by name
    positional = arguments.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
    found = []
    for argument, default_node in pairs:
        schema, optional = _annotation_schema(argument.annotation)
        default = _literal(default_node, _MISSING) if default_node is not None else _MISSING
        if default is not _MISSING and default is not None and _is_json(default):
            schema["default"] = list(default) if isinstance(default, tuple) else default
        required = default_node is None and not optional
        none_if_left_out = default_node is None and optional
        found.append(Parameter(argument.arg, schema, required, none_if_left_out=none_if_left_out))
    return found


def _annotation_schema(node: ast.expr | None) -> tuple[dict[str, Any], bool]:
    """(JSON Schema, whether None is allowed) of an annotation."""
    if node is None:
        return dict(_TEXT), False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a quoted annotation
        try:
            return _annotation_schema(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return dict(_TEXT), False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = _union_parts(node)
        nullable = any(_is_none(part) for part in parts)
        rest = [part for part in parts if not _is_none(part)]
        schema = _annotation_schema(rest[0])[0] if len(rest) == 1 else dict(_TEXT)
        return schema, nullable
    if isinstance(node, ast.Subscript):
        outer = _dotted_tail(node.value)
        inner = node.slice
        if outer == "Optional":
            return _annotation_schema(inner)[0], True
        if outer == "Union" and isinstance(inner, ast.Tuple):
            nullable = any(_is_none(part) for part in inner.elts)
            rest = [part for part in inner.elts if not _is_none(part)]
            schema = _annotation_schema(rest[0])[0] if len(rest) == 1 else dict(_TEXT)
            return schema, nullable
        if outer == "Literal":
            values = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            literals = [_literal(value, _MISSING) for value in values]
            if literals and all(v is not _MISSING and _is_json(v) for v in literals):
                return {"enum": literals}, False
            return dict(_TEXT), False
        if outer in ("list", "List", "Sequence", "tuple", "Tuple"):
            items = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return {"type": "array", "items": _annotation_schema(items)[0]}, False
        return dict(_TEXT), False
    return dict(_TYPES.get(_dotted_tail(node) or "", _TEXT)), False


def _union_parts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_parts(node.left) + _union_parts(node.right)
    return [node]


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# --- shared ----------------------------------------------------------------------------


def _dotted_tail(node: ast.expr) -> str | None:
    """``Path`` of ``Path`` or ``pathlib.Path``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node: ast.expr | None, otherwise: Any) -> Any:
    if node is None:
        return otherwise
    if isinstance(node, ast.Attribute) and node.attr == "SUPPRESS":
        return _SUPPRESS
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return otherwise


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return not isinstance(value, float) or value == value  # no NaN
    if isinstance(value, list | tuple):
        return all(_is_json(item) for item in value)
    return False

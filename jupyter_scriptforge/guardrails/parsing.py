"""The tree a script is analysed on, parsed with the grammar of the Python it runs on.

This server's own ``ast`` parses what it can. Code in newer syntax than the server's Python
(PEP 695 ``type X = ...`` and ``def f[T](...)``, PEP 701 f-strings) is parsed by a newer
interpreter: the script's own when it is known, else the newest CPython of this machine.
Its parser helper (``ast_export.py``) sends the tree as JSON, which is rebuilt here as this
Python's nodes, line numbers kept, lowering what this ``ast`` lacks:

- ``type X[T] = V`` becomes the assignment ``X = V``;
- a type parameter list (of a ``type``, ``def`` or ``class``) becomes an expression
  statement just before its statement, holding its bounds, constraints and defaults (all
  code that may run, lazily, when a type parameter is looked at); the names go;
- t-strings (PEP 750) become f-strings: their interpolations run the same way.

Anything else this ``ast`` lacks makes the code unanalysable, never silently skipped.

A script whose interpreter is older than the server's is held to that interpreter's grammar
(``feature_version``), so what it could not parse is reported as such. The functions here
block (a parse, perhaps a helper process): callers run them off the event loop.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..execution.runners.helpers import HelperError, call_interpreter

OWN_VERSION: tuple[int, int] = (sys.version_info.major, sys.version_info.minor)
OWN_NAME = f"Python {OWN_VERSION[0]}.{OWN_VERSION[1]}"  # the server's, in messages

_HELPER = Path(__file__).with_name("ast_export.py")
_DEPRECATED = frozenset({"Num", "Str", "Bytes", "NameConstant", "Ellipsis"})
_TYPE_PARAMS = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})
_POSITION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


@dataclass(frozen=True)
class Parser:
    """An interpreter whose grammar may judge a script, known to users by ``name``.

    ``path`` is its executable here, None when it lives only in a Docker image."""

    name: str
    version: tuple[int, int]
    release: str  # the full version, e.g. 3.13.0
    path: str | None = None

    def __str__(self) -> str:
        return f"{self.name} (Python {self.release})"


@dataclass(frozen=True)
class Unparsed:
    """Why and where the code could not be parsed: ``where`` names the grammar(s) tried."""

    line: int
    column: int
    where: str
    why: str


@dataclass(frozen=True)
class Parsed:
    """The tree, or why there is none; ``parser`` is set when a newer grammar parsed it."""

    tree: ast.Module | None
    problem: Unparsed | None = None
    parser: Parser | None = None
    notes: tuple[str, ...] = ()


class ParserHelperError(Exception):
    """The parser helper did not answer with a tree or a syntax error."""


def parse(
    content: str,
    target: Parser | None = None,
    newer: Sequence[Parser] = (),
    timeout: float = 20.0,
) -> Parsed:
    """Parse ``content`` as the Python of ``target`` (the script's interpreter) would, or,
    for unknown targets, as the newest grammar in ``newer`` (interpreters newer than the
    server's, newest first) would when the server's own cannot."""
    if target is not None and target.version < OWN_VERSION and target.version[0] == 3:
        # An older interpreter: this grammar as it was then.
        try:
            tree = ast.parse(content, filename="<script>", feature_version=target.version)
        except SyntaxError as error:
            return _unparsed(error, f"for {target}, the script's interpreter")
        return Parsed(tree)
    try:
        return Parsed(ast.parse(content, filename="<script>"))
    except SyntaxError as error:
        own_error = error
    if target is not None and target.version <= OWN_VERSION:
        return _unparsed(own_error, f"for {target}, the script's interpreter")
    helper = _helper_for(target, newer)
    if helper is None:
        if target is not None:
            return Parsed(
                None,
                Unparsed(
                    own_error.lineno or 1,
                    own_error.offset or 1,
                    f"on {OWN_NAME}",
                    f"{own_error.msg}; no Python {target.version[0]}.{target.version[1]}"
                    f" here to parse it as {target.name} would",
                ),
            )
        return _unparsed(own_error, f"on {OWN_NAME}")
    where = (
        f"for {target}, the script's interpreter"
        if helper == target
        else f"on {OWN_NAME} nor on {helper}"
    )
    try:
        answer = ask(helper, content, timeout)
    except ParserHelperError as failure:
        return Parsed(None, Unparsed(1, 1, where, str(failure)))
    refused = answer.get("error")
    if isinstance(refused, dict):
        return Parsed(
            None,
            Unparsed(
                _int(refused.get("lineno"), 1),
                _int(refused.get("offset"), 1),
                where,
                str(refused.get("msg") or refused.get("type") or "invalid syntax"),
            ),
        )
    try:
        tree, lowered = rebuild(answer)
    except LoweringError as lowering:
        return Parsed(None, Unparsed(lowering.line, 1, where, str(lowering)))
    return Parsed(tree, parser=helper, notes=(_note(helper, lowered),))


def _helper_for(target: Parser | None, newer: Sequence[Parser]) -> Parser | None:
    """The interpreter to ask: the script's own, else one here of its version (or newer,
    whose grammar takes in the older one's), else for scripts of no known interpreter the
    newest here."""
    if target is None:
        return next((p for p in newer if p.path), None)
    if target.path:
        return target
    same = [p for p in newer if p.path and p.version == target.version]
    later = [p for p in newer if p.path and p.version > target.version]
    return next(iter(same or later[::-1]), None)


def _note(helper: Parser, lowered: dict[str, int]) -> str:
    note = f"Parsed by {helper}: this code uses syntax {OWN_NAME}, the server's, lacks."
    what = []
    if lowered.get("TypeAlias"):
        what.append("type aliases are checked as assignments")
    if lowered.get("type_params"):
        what.append("type parameters' bounds and defaults are checked as expressions")
    if lowered.get("TemplateStr"):
        what.append("t-strings are checked as f-strings")
    if what:
        said = "; ".join(what)
        note += f" {said[0].upper()}{said[1:]}."
    return note + " Bandit checked the same tree."


def _unparsed(error: SyntaxError, where: str) -> Parsed:
    return Parsed(None, Unparsed(error.lineno or 1, error.offset or 1, where, error.msg))


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# --- the parser helper ---------------------------------------------------------------------


def ask(parser: Parser, content: str, timeout: float) -> dict[str, Any]:
    """The answer of ``parser``'s helper on ``content``: ``{"error": ...}`` or a tree.

    The guardrails' one process: not a script, but a newer interpreter's parser asked to
    parse one, because this Python's parser does not know its syntax. It runs ``-I -S``
    (no site, no user paths, no environment variables honoured), with an empty environment
    (none of the server's secrets), in ``/``, for at most ``timeout`` seconds (and a CPU and
    memory ceiling of its own); it only parses, so it runs no code of the script and opens
    no connection."""
    assert parser.path is not None
    data = content.encode("utf-8", "surrogatepass")
    try:
        output = call_interpreter(parser.path, [str(_HELPER)], data, timeout)
    except HelperError as error:
        raise ParserHelperError(f"its parser {error}") from None
    try:
        answer = json.loads(output)
    except (ValueError, RecursionError):
        answer = None
    if not isinstance(answer, dict):
        raise ParserHelperError("its parser answered something that is not a tree")
    return answer


# --- rebuilding the tree ----------------------------------------------------------------


class LoweringError(Exception):
    """A node or field this ``ast`` cannot stand for; ``line`` is where it is."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _TypeParam:
    """A type parameter: what of it may run (its bound or constraints, its default)."""

    expressions: list[ast.expr]
    line: int = 1


@dataclass
class _Rebuilder:
    fields: dict[str, list[str]]
    built: list[Any] = field(default_factory=list)
    hoisted: dict[int, ast.stmt] = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)  # hoisted statements put in their lists
    lowered: dict[str, int] = field(default_factory=dict)

    def value(self, raw: Any, at: int) -> Any:
        """A field's value: node indexes become the nodes (with the statements hoisted before
        them), wrapped scalars their values."""
        if isinstance(raw, bool) or raw is None or isinstance(raw, str):
            return raw
        if isinstance(raw, int):
            if not 0 <= raw < at:
                raise LoweringError("the parser's tree refers to a node out of order")
            return self.built[raw]
        if isinstance(raw, list):
            items: list[Any] = []
            for item in raw:
                if isinstance(item, int) and not isinstance(item, bool) and item in self.hoisted:
                    items.append(self.hoisted[item])
                    self.placed.add(item)
                items.append(self.value(item, at))
            return items
        if isinstance(raw, dict) and len(raw) == 1:
            [(kind, data)] = raw.items()
            if kind == "#" and isinstance(data, int | float):
                return data
            if kind == "b" and isinstance(data, str):
                return data.encode("latin-1")
            if kind == "j" and isinstance(data, list) and len(data) == 2:
                return complex(data[0], data[1])
            if kind == "e":
                return ...
        raise LoweringError("the parser's tree holds a value this server cannot read")

    def node(self, entry: list[Any], at: int) -> Any:
        kind, position, *raw = entry
        names = self.fields[kind]
        if len(names) != len(raw):
            raise LoweringError(f"the parser's {kind} nodes do not match their fields")
        line = position[0] if position and isinstance(position[0], int) else 1
        values = {name: self.value(item, at) for name, item in zip(names, raw, strict=True)}
        type_params = values.pop("type_params", None) or []
        if not all(isinstance(p, _TypeParam) for p in type_params):
            raise LoweringError("the parser's type parameters are not type parameters", line)
        if kind in _TYPE_PARAMS:
            found = [values.get(n) for n in ("bound", "default_value")]
            return _TypeParam([v for v in found if isinstance(v, ast.expr)], line)
        if kind == "TypeAlias":
            self._count("TypeAlias")
            node: ast.AST = ast.Assign(targets=[values["name"]], value=values["value"])
        elif kind == "TemplateStr":
            self._count("TemplateStr")
            node = ast.JoinedStr(values=values["values"])
        elif kind == "Interpolation":
            node = ast.FormattedValue(
                value=values["value"],
                conversion=values.get("conversion", -1),
                format_spec=values.get("format_spec"),
            )
        else:
            node = self._plain(kind, values, line)
        _place(node, position)
        if type_params:
            self._count("type_params")
            self._hoist(at, type_params, node)
        self._check_no_type_params(node, line)
        return node

    def _plain(self, kind: str, values: dict[str, Any], line: int) -> ast.AST:
        cls = getattr(ast, kind, None)
        if (
            kind in _DEPRECATED
            or not isinstance(cls, type)
            or not issubclass(cls, ast.AST)
            or kind.startswith("_")
        ):
            raise LoweringError(f"it uses {kind}, which {OWN_NAME}'s ast lacks", line)
        node = cls()
        for name in cls._fields:
            setattr(node, name, values.pop(name, None))
        for name, value in values.items():
            if _holds_nodes(value):
                raise LoweringError(f"it uses {kind}.{name}, which {OWN_NAME}'s ast lacks", line)
        return node

    def _hoist(self, at: int, params: list[_TypeParam], node: ast.AST) -> None:
        expressions = [e for p in params for e in p.expressions]
        if not expressions:
            return
        first, last = expressions[0], expressions[-1]
        value = ast.Tuple(elts=expressions, ctx=ast.Load())
        statement = ast.Expr(value=value)
        for part in (value, statement):
            part.lineno, part.col_offset = first.lineno, first.col_offset
            part.end_lineno, part.end_col_offset = last.end_lineno, last.end_col_offset
        self.hoisted[at] = statement

    def _check_no_type_params(self, node: ast.AST, line: int) -> None:
        for _, value in ast.iter_fields(node):
            items = value if isinstance(value, list) else [value]
            if any(isinstance(item, _TypeParam) for item in items):
                raise LoweringError("a type parameter stands where this ast has none", line)

    def _count(self, what: str) -> None:
        self.lowered[what] = self.lowered.get(what, 0) + 1


def rebuild(answer: dict[str, Any]) -> tuple[ast.Module, dict[str, int]]:
    """The helper's tree as this Python's nodes, and what was lowered (by kind, counted)."""
    try:
        rebuilder = _Rebuilder({str(k): list(v) for k, v in answer["fields"].items()})
        for at, entry in enumerate(answer["nodes"]):
            rebuilder.built.append(rebuilder.node(entry, at))
        tree = rebuilder.built[answer["root"]]
    except LoweringError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise LoweringError("its parser answered a tree this server cannot read") from None
    if not isinstance(tree, ast.Module):
        raise LoweringError("its parser answered a tree this server cannot read")
    if set(rebuilder.hoisted) - rebuilder.placed:  # type parameters outside a statement list
        raise LoweringError("its parser answered type parameters where no statement list is")
    return tree, rebuilder.lowered


def _place(node: ast.AST, position: Any) -> None:
    if not isinstance(position, list) or len(position) != 4:
        return
    for name, value in zip(_POSITION, position, strict=True):
        if isinstance(value, int) or value is None:
            setattr(node, name, value)


def _holds_nodes(value: Any) -> bool:
    if isinstance(value, ast.AST | _TypeParam):
        return True
    return isinstance(value, list) and any(_holds_nodes(item) for item in value)

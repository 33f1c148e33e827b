"""The parser helper: run by a newer interpreter than the server's, it parses a script with
that interpreter's own ``ast`` and writes the tree as JSON. Never imported by the server.

Started as ``<python> -I -S ast_export.py`` with an empty environment (see ``parsing.py``);
the source comes on stdin (UTF-8), the answer goes to stdout, nothing is run: ``ast.parse``
only parses. It imports nothing but a few modules of the standard library, and must stay
valid for every Python from 3.12 on.

The answer is ``{"error": {"type", "msg", "lineno", "offset"}}`` or
``{"python": [3, 13, 0], "fields": {class: [field, ...]}, "nodes": [...], "root": i}``:
``nodes`` lists every node once, children before their parents (so neither side recurses,
however deep the tree), each as ``[class, [lineno, col_offset, end_lineno, end_col_offset] or
null, value of each of the class's fields...]``. In a value, a bare integer is the index of
a node, a list is a list; numbers, bytes, complex numbers and ``...`` are wrapped
(``{"#": 3}``, ``{"b": latin-1 text}``, ``{"j": [re, im]}``, ``{"e": 0}``); strings, booleans
and null are themselves.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from typing import Any

_POSITION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def _limit_self() -> None:
    """A ceiling on CPU time and memory, should the caller's timeout not end us first."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    except (ImportError, ValueError, OSError):
        pass


def _children(node: ast.AST) -> Iterator[ast.AST]:
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


def _scalar(value: Any, index: dict[int, int]) -> Any:
    if isinstance(value, ast.AST):
        return index[id(value)]
    if isinstance(value, list):
        return [_scalar(item, index) for item in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return {"#": value}
    if isinstance(value, bytes):
        return {"b": value.decode("latin-1")}
    if isinstance(value, complex):
        return {"j": [value.real, value.imag]}
    if value is Ellipsis:
        return {"e": 0}
    raise TypeError(f"cannot export a {type(value).__name__} constant")


def export(tree: ast.AST) -> dict[str, Any]:
    """The tree as the JSON-ready document described above, built without recursion."""
    fields: dict[str, list[str]] = {}
    nodes: list[list[Any]] = []
    index: dict[int, int] = {}
    stack = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in index:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in index)
            continue
        kind = type(node).__name__
        fields.setdefault(kind, list(node._fields))
        position = None
        if hasattr(node, "lineno"):
            position = [getattr(node, name, None) for name in _POSITION]
        values = [_scalar(getattr(node, name, None), index) for name in node._fields]
        index[id(node)] = len(nodes)
        nodes.append([kind, position, *values])
    return {
        "python": list(sys.version_info[:3]),
        "fields": fields,
        "nodes": nodes,
        "root": index[id(tree)],
    }


def main() -> None:
    _limit_self()
    source = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
    answer: dict[str, Any]
    try:
        answer = export(ast.parse(source, filename="<script>"))
    except SyntaxError as error:
        answer = {
            "error": {
                "type": "SyntaxError",
                "msg": str(error.msg),
                "lineno": error.lineno,
                "offset": error.offset,
            }
        }
    except (ValueError, TypeError, RecursionError, MemoryError) as error:
        answer = {"error": {"type": type(error).__name__, "msg": str(error)}}
    sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))


if __name__ == "__main__":
    main()

"""A python-lsp-server plugin, run inside pylsp on the script's own interpreter: an import
that this interpreter cannot satisfy is an error on its line.

Copied beside pylsp into each interpreter's tools folder (lsp/tools.py), so it must run on
every Python that pylsp runs on (3.6 and later): quoted annotations, no newer syntax.
"""

import ast
import importlib.machinery
import os
import sys
from typing import Any

from pylsp import hookimpl  # type: ignore[import-not-found]

# pylsp's own packages sit on sys.path ahead of the interpreter's: never count them.
_TOOLS = os.path.dirname(os.path.abspath(__file__))


def _search_path(document_path: "str | None", extra: "list[str]") -> "list[str]":
    """Where an import is found: the script's folder, the interpreter's path, and the
    packages ScriptForge installed for scripts (jedi's ``extra_paths``)."""
    folder = os.path.dirname(document_path) if document_path else None
    paths = [p for p in sys.path if os.path.abspath(p or ".") != _TOOLS]
    return ([folder] if folder else []) + paths + extra


def _available(name: "str", search_path: "list[str]") -> "bool":
    if name in sys.builtin_module_names:
        return True
    if importlib.machinery.FrozenImporter.find_spec(name) is not None:
        return True
    return importlib.machinery.PathFinder.find_spec(name, search_path) is not None


def _guarded_lines(tree: "ast.AST") -> "set[int]":
    """Lines of imports inside a try: whoever wrote them expected one to fail."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        lines.add(inner.lineno)
    return lines


@hookimpl  # type: ignore[untyped-decorator]
def pylsp_lint(config: "Any", document: "Any") -> "list[dict[str, Any]]":
    try:
        tree = ast.parse(document.source)
    except (SyntaxError, ValueError):
        return []  # pyflakes reports the syntax error
    guarded = _guarded_lines(tree)
    jedi = config.plugin_settings("jedi", document_path=document.path) or {}
    extra = [str(path) for path in jedi.get("extra_paths") or []]
    search_path = _search_path(document.path, extra)
    version = ".".join(str(part) for part in sys.version_info[:3])
    where = f"{sys.implementation.name} {version}"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        else:
            continue
        if node.lineno in guarded:
            continue
        for name in names:
            top = name.split(".")[0]
            if _available(top, search_path):
                continue
            line = document.lines[node.lineno - 1] if node.lineno <= len(document.lines) else ""
            start = line.find(top)
            start = start if start >= 0 else node.col_offset
            found.append(
                {
                    "source": "scriptforge",
                    "severity": 1,
                    "message": f"No module named '{top}' on this interpreter ({where})",
                    "range": {
                        "start": {"line": node.lineno - 1, "character": start},
                        "end": {"line": node.lineno - 1, "character": start + len(top)},
                    },
                }
            )
    return found

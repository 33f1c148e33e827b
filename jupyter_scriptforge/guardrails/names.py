"""What a name or an expression in a script may refer to.

``Names(tree)`` reads every binding in a module once: imports (with their aliases, star
imports included), assignments of an expression to a name, and everything else that binds a
name (functions, parameters, loop variables...). ``resolve(expr)`` then answers with the
qualified names the expression may stand for, following

- aliases: ``import subprocess as sp`` → ``sp.run`` is ``subprocess.run``; ``from os import
  system as s`` → ``s`` is ``os.system``; ``run = sp.run`` → ``run`` is ``subprocess.run``;
- builtins: an unbound ``eval`` is ``builtins.eval``, ``__builtins__`` is ``builtins``;
- modules held by other modules: ``logging.os``, ``tempfile._os``, ``getattr(platform, "os")``
  and ``anything.os`` are ``os`` (see ``MODULE_ATTRIBUTES``);
- dynamic access with a string we can compute: ``getattr(os, "sys" + "tem")``,
  ``os.__getattribute__("system")`` and, unbound, ``object.__getattribute__(os, "system")``
  (with two arguments the owner is the first), ``os.__dict__["system"]``,
  ``vars(os)["system"]`` (``inspect.getmembers(os)`` is ``vars(os)`` too),
  ``globals()["__builtins__"]``, ``__builtins__.__dict__.get("eval")``,
  ``sys.modules["os"]``, ``__import__("os")``, ``importlib.import_module("os")``,
  ``operator.attrgetter("os.system")(logging)``;
- elements of containers, whatever the index or key: ``[os][0]``, ``(os,)[0]``,
  ``{"m": os}["m"]`` and ``[[os]][0][0]`` are ``os``, and so is ``mods[i]`` when ``mods`` is
  bound to such a literal or filled with ``mods[k] = os``, ``mods.append(os)``,
  ``mods.extend([os])``, ``mods += [os]`` (see ``elements``).

The analysis is flow-insensitive and conservative: a name assigned in two places may be
either value, whatever the scope, and a container holds all it is ever given. It never runs
the code.

Longer than most modules on purpose: resolving a name, looking into a container and
computing a string call each other (``getattr(os, vars(m)["k"] + "tem")``), with one depth
limit across them; ``Names`` keeps that recursion in one class.
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict
from collections.abc import Iterable

BUILTIN_NAMES = frozenset(dir(builtins))
GLOBALS = "<globals>"  # what globals() and locals() return: the script's own namespace
GETATTR = "builtins.getattr"
IMPORTERS = frozenset({"builtins.__import__", "importlib.import_module", "importlib.__import__"})
ATTRGETTERS = frozenset({"operator.attrgetter", "_operator.attrgetter"})
METHODCALLERS = frozenset({"operator.methodcaller", "_operator.methodcaller"})
# Calls that hand out every member of their argument at once, as vars() does.
NAMESPACES = frozenset({"builtins.vars", "inspect.getmembers", "inspect.getmembers_static"})
DUNDER_GETTERS = frozenset({"__getattribute__", "__getattr__"})

# Modules that other modules hold as attributes (the standard library imports them everywhere:
# logging.os, shutil.os, tempfile._os, shutil.posix, platform.subprocess, ssl._socket...).
# An attribute by one of these names is that module, whatever it hangs on.
MODULE_ATTRIBUTES: dict[str, str] = {
    "os": "os",
    "_os": "os",
    "posix": "posix",
    "nt": "nt",
    "subprocess": "subprocess",
    "_posixsubprocess": "_posixsubprocess",
}
# Names as often an ordinary attribute as a module: a zmq or websocket connection's .socket or
# ._socket, numpy's array.ctypes, a script's settings.sys, a process wrapper's ._subprocess.
# On something imported (ftplib.socket, logging.sys) they are the module...
_ON_IMPORTED: dict[str, str] = {
    "socket": "socket",
    "_socket": "_socket",
    "ctypes": "ctypes",
    "sys": "sys",
    "_subprocess": "subprocess",
}
# ...and on anything else (or, for an HTTP error's .code, anywhere) only when one of these
# members, which only the module has, follows: x.socket.create_connection, x.sys.modules,
# pdb.code.interact.
_SOCKET_MEMBERS = frozenset(
    {
        "socket",
        "SocketType",
        "create_connection",
        "create_server",
        "socketpair",
        "fromfd",
        "fromshare",
        "send_fds",
        "recv_fds",
    }
)
_MODULE_MEMBERS: dict[str, frozenset[str]] = {
    "socket": _SOCKET_MEMBERS,
    "_socket": _SOCKET_MEMBERS,
    "ctypes": frozenset(
        {
            "CDLL",
            "cdll",
            "PyDLL",
            "pydll",
            "WinDLL",
            "windll",
            "OleDLL",
            "oledll",
            "LibraryLoader",
            "pythonapi",
            "CFUNCTYPE",
            "PYFUNCTYPE",
            "WINFUNCTYPE",
            "cast",
            "memmove",
            "memset",
            "string_at",
            "wstring_at",
            "addressof",
            "pointer",
            "POINTER",
            "byref",
            "create_string_buffer",
            "c_void_p",
            "c_char_p",
            "util",
        }
    ),
    "sys": frozenset({"modules"}),
    "code": frozenset(
        {"interact", "InteractiveConsole", "InteractiveInterpreter", "compile_command"}
    ),
}
# Real modules by one of those names inside a package: they stay themselves.
_SUBMODULES = frozenset({"asyncio.subprocess"})
_MAX_DEPTH = 24  # how far a chain of aliases is followed
_MAX_STRINGS = 32  # how many values a computed string may have before we stop guessing
# Methods that put an element into a container, and which of their arguments it is.
_PUTTERS: dict[str, int] = {"append": 0, "add": 0, "insert": 1, "setdefault": 1}
# What an element may be that stands for something (what resolve follows, and containers for
# the elements of elements): constants and arithmetic stand for nothing.
_CONTAINERS = (ast.List, ast.Tuple, ast.Set, ast.Dict)
_REFERRING = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.IfExp, ast.BoolOp, *_CONTAINERS)


class Names:
    """The bindings of one module, and resolution of expressions against them."""

    def __init__(self, tree: ast.AST) -> None:
        self.imports: dict[str, set[str]] = defaultdict(set)
        self.values: dict[str, list[ast.expr]] = defaultdict(list)
        self.opaque: set[str] = set()  # bound to something we do not follow
        self.star_modules: list[str] = []
        # What goes into a name's container after it is made: ``c[k] = v``, ``c.append(v)``;
        # a Starred one, ``c.extend(vs)`` or ``c += vs``, puts all of its elements.
        self.items: dict[str, list[ast.expr]] = defaultdict(list)
        self._memo: dict[str, frozenset[str]] = {}
        self._element_memo: dict[str, tuple[ast.expr, ...]] = {}
        self._item_memo: dict[str, frozenset[str]] = {}
        self._collect(tree)

    # --- bindings ---------------------------------------------------------------------

    def _collect(self, tree: ast.AST) -> None:
        followed: set[int] = set()  # Name targets whose value is recorded in self.values
        # ast.walk goes breadth first, so an assignment is seen before its target names.
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname].add(alias.name)
                    else:
                        top = alias.name.split(".")[0]
                        self.imports[top].add(top)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                for alias in node.names:
                    if node.level:  # the script's own package: nothing we know
                        self.opaque.add(alias.asname or alias.name)
                    elif alias.name == "*":
                        self.star_modules.append(module)
                    else:
                        self.imports[alias.asname or alias.name].add(member(module, alias.name))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self._assign(target, node.value, followed)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                self._assign(node.target, node.value, followed)
            elif (
                isinstance(node, ast.AugAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(node.op, ast.Add | ast.BitOr)
            ):
                self.items[node.target.id].append(ast.Starred(node.value, ast.Load()))
            elif isinstance(node, ast.Call):
                self._put(node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.opaque.add(node.name)
            elif isinstance(node, ast.arg):
                self.opaque.add(node.arg)
            elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
                self.opaque.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                self.opaque.add(node.rest)
            elif (
                isinstance(node, ast.Name)
                and not isinstance(node.ctx, ast.Load)
                and id(node) not in followed
            ):
                self.opaque.add(node.id)

    def _assign(self, target: ast.expr, value: ast.expr, followed: set[int]) -> None:
        if isinstance(target, ast.Name):
            self.values[target.id].append(value)
            followed.add(id(target))
        elif (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
        ):
            for one_target, one_value in zip(target.elts, value.elts, strict=True):
                self._assign(one_target, one_value, followed)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.items[target.value.id].append(value)

    def _put(self, call: ast.Call) -> None:
        """``c.append(v)``, ``c.insert(i, v)``, ``c.extend(vs)``, ``c.update(k=v)``."""
        func, args = call.func, call.args
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        if func.attr in _PUTTERS and len(args) > _PUTTERS[func.attr]:
            self.items[func.value.id].append(args[_PUTTERS[func.attr]])
        elif func.attr in ("extend", "update"):
            self.items[func.value.id] += [ast.Starred(arg, ast.Load()) for arg in args] + [
                k.value if k.arg else ast.Starred(k.value, ast.Load()) for k in call.keywords
            ]

    def bound(self, name: str) -> bool:
        """Whether the script binds the name anywhere (so it is not a builtin)."""
        return name in self.imports or name in self.values or name in self.opaque

    # --- qualified names --------------------------------------------------------------

    def resolve(self, expr: ast.expr, depth: int = 0) -> frozenset[str]:
        """The qualified names ``expr`` may stand for; empty when it is none we know."""
        if depth > _MAX_DEPTH:
            return frozenset()
        depth += 1
        if isinstance(expr, ast.Name):
            return self._resolve_name(expr.id, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr.value, {expr.attr}, depth)
        if isinstance(expr, ast.Call):
            return self._resolve_call(expr, depth)
        if isinstance(expr, ast.Subscript):
            found = self.lookup(expr.value, expr.slice, depth)
            if isinstance(expr.slice, ast.Slice):
                return found  # a slice is a list, not one of its elements
            return found | self._item(expr.value, depth)
        if isinstance(expr, ast.IfExp):
            return self.resolve(expr.body, depth) | self.resolve(expr.orelse, depth)
        if isinstance(expr, ast.BoolOp):
            return frozenset().union(*(self.resolve(value, depth) for value in expr.values))
        if isinstance(expr, ast.NamedExpr):
            return self.resolve(expr.value, depth)
        return frozenset()

    def _resolve_name(self, name: str, depth: int) -> frozenset[str]:
        if name in self._memo:
            return self._memo[name]
        self._memo[name] = frozenset()  # a cycle (a = b; b = a) resolves to nothing
        found: set[str] = set(self.imports.get(name, ()))
        for value in self.values.get(name, ()):
            found |= self.resolve(value, depth)
        if not self.bound(name):
            if name == "__builtins__":
                found.add("builtins")
            elif name in BUILTIN_NAMES:
                found.add(f"builtins.{name}")
            found.update(member(module, name) for module in self.star_modules)
        result = self._memo[name] = frozenset(found)
        return result

    def _resolve_call(self, call: ast.Call, depth: int) -> frozenset[str]:
        func = self.resolve(call.func, depth)
        args = call.args
        lookup = attribute_lookup(call, func)
        if lookup is not None:
            return self._members(*lookup, depth)
        if len(args) == 1 and not call.keywords:
            paths = self._getter_paths(call.func, depth)
            if paths:
                return self._paths(args[0], paths, depth)
        if func & IMPORTERS and args:
            modules = self.strings(args[0], depth) or set()
            return frozenset(modules | {m.split(".")[0] for m in modules})
        if func & NAMESPACES and args:
            return frozenset(f"{q}.__dict__" for q in self.resolve(args[0], depth))
        if func & {"builtins.globals", "builtins.locals"}:
            return frozenset({GLOBALS})
        if (
            isinstance(call.func, ast.Attribute)
            and args
            and call.func.attr in ("get", "__getitem__", "pop", "setdefault")
        ):
            return self.lookup(call.func.value, args[0], depth)
        return frozenset()

    def _members(self, owner: ast.expr, name: ast.expr, depth: int) -> frozenset[str]:
        return self._attribute(owner, self.strings(name, depth) or set(), depth)

    def _attribute(self, owner: ast.expr, names: set[str], depth: int) -> frozenset[str]:
        """What ``owner.<name>`` may stand for, for each of ``names``."""
        if not names:
            return frozenset()
        owners = self.resolve(owner, depth)
        return attribute_of(owners, self.attribute_names(owner, depth), names)

    def attribute_names(self, expr: ast.expr, depth: int = 0) -> set[str]:
        """The names ``expr`` looks up as an attribute: ``x.os``, ``getattr(x, "os")``."""
        if isinstance(expr, ast.Attribute):
            return {expr.attr}
        if not isinstance(expr, ast.Call):
            return set()
        lookup = attribute_lookup(expr, self.resolve(expr.func, depth))
        return (self.strings(lookup[1], depth) or set()) if lookup else set()

    def _getter_paths(self, func: ast.expr, depth: int) -> set[str] | None:
        """The attribute path of ``operator.attrgetter("a.b")``, or of a name bound to it."""
        candidates = self.values.get(func.id, []) if isinstance(func, ast.Name) else [func]
        paths: set[str] = set()
        for candidate in candidates:
            if (
                isinstance(candidate, ast.Call)
                and isinstance(candidate.func, ast.Name | ast.Attribute)  # not f(x)(y)(z)...
                and len(candidate.args) == 1
                and self.resolve(candidate.func, depth) & ATTRGETTERS
            ):
                paths |= self.strings(candidate.args[0], depth) or set()
        return paths or None

    def _paths(self, owner: ast.expr, paths: set[str], depth: int) -> frozenset[str]:
        """What ``attrgetter(path)(owner)`` may stand for, for each dotted path."""
        found: set[str] = set()
        for path in paths:
            first, *rest = path.split(".")
            qnames = self._attribute(owner, {first}, depth)
            for looked_up, name in zip([first, *rest], rest, strict=False):
                qnames = attribute_of(qnames, {looked_up}, {name})
            found |= qnames
        return frozenset(found)

    def lookup(self, container: ast.expr, key: ast.expr, depth: int = 0) -> frozenset[str]:
        """What ``container[key]`` may stand for, when the key is a string we can compute:
        a module's ``__dict__``, ``globals()``, ``__builtins__`` as a dict, ``sys.modules``."""
        keys = self.strings(key, depth)
        if not keys:
            return frozenset()
        found: set[str] = set()
        for q in self.resolve(container, depth):
            if q.endswith(".__dict__"):
                found.update(member(q.removesuffix(".__dict__"), k) for k in keys)
            elif q == GLOBALS:
                for k in keys:
                    found |= self._resolve_name(k, depth) if k.isidentifier() else set()
            elif q == "builtins":
                found.update(f"builtins.{k}" for k in keys)
            elif q == "sys.modules":
                found.update(keys)
        return frozenset(found)

    # --- elements of containers -------------------------------------------------------

    def elements(self, container: ast.expr, depth: int = 0) -> tuple[ast.expr, ...]:
        """The expressions an element of ``container`` may be: the items of a list, tuple or
        set literal (``[os]``), the values of a dict literal, those of a name bound to one or
        filled with ``c[k] = v``/``c.append(v)`` (``mods = [os]``), and the elements of an
        element (``[[os]][0]``). Whatever the index or key: an element is any of them."""
        if depth > _MAX_DEPTH:
            return ()
        path = _path(container)
        if path is None:
            return self._elements_of(container, depth + 1)
        if path not in self._element_memo:
            self._element_memo[path] = ()  # a cycle (a = b; b = a) has no elements
            self._element_memo[path] = self._elements_of(container, depth + 1)
        return self._element_memo[path]

    def _elements_of(self, container: ast.expr, depth: int) -> tuple[ast.expr, ...]:
        parts: list[Iterable[ast.expr]] = []
        if isinstance(container, ast.Name):
            parts += [self.elements(value, depth) for value in self.values.get(container.id, ())]
            parts += [self._splice(item, depth) for item in self.items.get(container.id, ())]
        elif isinstance(container, ast.List | ast.Tuple | ast.Set):
            parts += [self._splice(item, depth) for item in container.elts]
        elif isinstance(container, ast.Dict):
            for key, value in zip(container.keys, container.values, strict=True):
                parts.append((value,) if key is not None else self.elements(value, depth))
        elif isinstance(container, ast.Subscript):
            outer = self.elements(container.value, depth)
            if isinstance(container.slice, ast.Slice):  # a slice has the same elements
                return outer
            parts += [self.elements(element, depth) for element in outer]
        elif isinstance(container, ast.IfExp):
            parts += [self.elements(container.body, depth), self.elements(container.orelse, depth)]
        elif isinstance(container, ast.BoolOp | ast.NamedExpr):
            values = container.values if isinstance(container, ast.BoolOp) else [container.value]
            parts += [self.elements(value, depth) for value in values]
        return _distinct(parts)

    def _splice(self, item: ast.expr, depth: int) -> Iterable[ast.expr]:
        """``*xs`` in a literal puts the elements of ``xs``; anything else, itself."""
        return self.elements(item.value, depth) if isinstance(item, ast.Starred) else (item,)

    def _item(self, container: ast.expr, depth: int) -> frozenset[str]:
        """What an element of ``container`` may stand for: ``[os][0]`` is ``os``."""
        path = _path(container)
        if path is not None and path in self._item_memo:
            return self._item_memo[path]
        if path is not None:
            self._item_memo[path] = frozenset()  # a cycle (a = [a[0]]) stands for nothing
        found = frozenset().union(
            *(self.resolve(element, depth) for element in self.elements(container, depth))
        )
        if path is not None:
            self._item_memo[path] = found
        return found

    # --- strings ----------------------------------------------------------------------

    def strings(self, expr: ast.expr, depth: int = 0) -> set[str] | None:
        """The values a string expression may have, or None when we cannot tell."""
        if depth > _MAX_DEPTH:
            return None
        depth += 1
        if isinstance(expr, ast.Constant):
            return {expr.value} if isinstance(expr.value, str) else None
        if isinstance(expr, ast.Name):
            name = expr.id
            if name in self.opaque or name in self.imports or not self.values.get(name):
                return None
            return _union(self.strings(value, depth) for value in self.values[name])
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return _product([self.strings(expr.left, depth), self.strings(expr.right, depth)])
        if isinstance(expr, ast.JoinedStr):
            return _product(
                [
                    self.strings(
                        part.value if isinstance(part, ast.FormattedValue) else part, depth
                    )
                    for part in expr.values
                ]
            )
        if isinstance(expr, ast.IfExp):
            return _union([self.strings(expr.body, depth), self.strings(expr.orelse, depth)])
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
            return self._sliced(expr, depth)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            return self._string_method(expr, expr.func, depth)
        return None

    def _sliced(self, expr: ast.Subscript, depth: int) -> set[str] | None:
        values = self.strings(expr.value, depth)
        bounds: list[int | None] = []
        assert isinstance(expr.slice, ast.Slice)
        for part in (expr.slice.lower, expr.slice.upper, expr.slice.step):
            if part is None:
                bounds.append(None)
            elif isinstance(part, ast.Constant) and isinstance(part.value, int):
                bounds.append(part.value)
            elif (
                isinstance(part, ast.UnaryOp)
                and isinstance(part.op, ast.USub)
                and isinstance(part.operand, ast.Constant)
                and isinstance(part.operand.value, int)
            ):
                bounds.append(-part.operand.value)
            else:
                return None
        if values is None or bounds[2] == 0:
            return None
        return {v[slice(*bounds)] for v in values}

    def _string_method(self, call: ast.Call, func: ast.Attribute, depth: int) -> set[str] | None:
        if func.attr == "join" and len(call.args) == 1:
            parts = call.args[0]
            if not isinstance(parts, ast.List | ast.Tuple):
                return None
            separators = self.strings(func.value, depth)
            items = _product_lists([self.strings(p, depth) for p in parts.elts])
            if separators is None or items is None:
                return None
            return {s.join(i) for s in separators for i in items}
        if func.attr in ("lower", "upper", "strip", "casefold") and not call.args:
            values = self.strings(func.value, depth)
            return None if values is None else {getattr(v, func.attr)() for v in values}
        return None


def attribute_lookup(call: ast.Call, func: frozenset[str]) -> tuple[ast.expr, ast.expr] | None:
    """The owner and the name a call looks up as an attribute, ``func`` being what its callee
    resolves to: ``getattr(x, name)``, ``x.__getattribute__(name)`` (or ``__getattr__``) and,
    with two arguments, the unbound ``object.__getattribute__(x, name)``."""
    args = call.args
    if GETATTR in func:
        return (args[0], args[1]) if len(args) >= 2 else None
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in DUNDER_GETTERS and args):
        return None
    return (args[0], args[1]) if len(args) >= 2 else (call.func.value, args[0])


def member(owner: str, name: str) -> str:
    """The qualified name of ``name`` on the object named ``owner``: ``logging.os`` is ``os``."""
    qname = f"{owner}.{name}"
    if qname in _SUBMODULES:
        return qname
    if name in MODULE_ATTRIBUTES:
        return MODULE_ATTRIBUTES[name]
    return _ON_IMPORTED.get(name, qname)


def attribute_of(owners: frozenset[str], looked_up: set[str], names: set[str]) -> frozenset[str]:
    """What ``owner.<name>`` may stand for, for each of ``names``, when the owner may stand
    for ``owners`` and was itself looked up as an attribute by one of ``looked_up``."""
    found = {member(q, n) for q in owners for n in names}
    found.update(MODULE_ATTRIBUTES[n] for n in names if n in MODULE_ATTRIBUTES)
    looked_up = looked_up | {q.rpartition(".")[2] for q in owners}  # from pdb import code
    found.update(
        f"{inner}.{n}"
        for inner in looked_up & _MODULE_MEMBERS.keys()
        for n in names & _MODULE_MEMBERS[inner]
    )
    return frozenset(found)


def _path(container: ast.expr) -> str | None:
    """A key for the elements of ``container`` when it is a name or an element of one
    (``mods``, ``mods[]``): each is worked out once, however often the script indexes it."""
    if isinstance(container, ast.Name):
        return container.id
    if isinstance(container, ast.Subscript) and not isinstance(container.slice, ast.Slice):
        inner = _path(container.value)
        return None if inner is None else inner + "[]"
    return None


def _distinct(parts: Iterable[Iterable[ast.expr]]) -> tuple[ast.expr, ...]:
    """The elements that may stand for something, each once (a name once, however often)."""
    found: dict[str | int, ast.expr] = {}
    for part in parts:
        for element in part:
            if isinstance(element, _REFERRING):
                key = element.id if isinstance(element, ast.Name) else id(element)
                found.setdefault(key, element)
    return tuple(found.values())


def _union(options: Iterable[set[str] | None]) -> set[str] | None:
    found: set[str] = set()
    for option in options:
        if option is None:
            return None
        found |= option
    return found if len(found) <= _MAX_STRINGS else None


def _product_lists(parts: list[set[str] | None]) -> list[list[str]] | None:
    combos: list[list[str]] = [[]]
    for part in parts:
        if part is None:
            return None
        combos = [[*combo, value] for combo in combos for value in part]
        if len(combos) > _MAX_STRINGS:
            return None
    return combos


def _product(parts: list[set[str] | None]) -> set[str] | None:
    combos = _product_lists(parts)
    return None if combos is None else {"".join(combo) for combo in combos}

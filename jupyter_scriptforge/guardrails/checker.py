"""The policy applied to a parsed script: one finding per offending expression.

Rules:

- SF101 denied-import: an import of a denied module, or any other way of reaching one
  (``__import__("socket")``, ``sys.modules["subprocess"]``, a member of an imported one).
- SF102 denied-call: any use of a denied callable, called or not (``map(os.system, ...)`` and
  ``Thread(target=os.system)`` call it too), through whatever alias or lookup; ``posix`` and
  ``nt`` are ``os``. An event loop's ``subprocess_exec``/``subprocess_shell``/``create_server``
  are denied by their name alone, whatever they are called on, and so are a loader's
  ``exec_module``/``load_module``/``get_code``/``source_to_code``. A module held by another
  one is that module: ``logging.os.system`` and ``getattr(platform, "os").system`` are
  ``os.system``; so are ``object.__getattribute__(os, "system")`` and an element of a
  container holding ``os``: ``[os][0].system``, ``{"m": os}["m"].system``.
- SF103 dynamic-access: a member looked up by a computed name on an object that holds denied
  members (``getattr(os, name)``, ``object.__getattribute__(os, name)``,
  ``vars(builtins)[x]``, ``sys.modules[name]``), and any use of such an object's namespace
  (``vars(os)``, ``os.__dict__``, ``inspect.getmembers(os)``), which hands out all of them.
  A module holding a module with denied members (``logging.os``: the real module is asked,
  see ``modules``) is one for namespaces and getattr passed along; a computed lookup on it
  alone is how scripts read a log level (``getattr(logging, level_name)``), so what it took
  is judged where it is used: ``getattr(logging, name).system``, a computed lookup on it, or
  its ``__dict__``. getattr passed to a call
  rather than called (``functools.reduce(getattr, ["system"], os)``, ``map(getattr, [os],
  names)``) looks up names out of sight on the call's other arguments: dynamic access when
  one of them, or an element of one, is such an object.
  ``operator.attrgetter``/``methodcaller`` name no object: a computed name, or the name of a
  denied call (``methodcaller("system", "id")``), is dynamic access whatever it is applied to.
- SF104 destructive-path: a deleting call on an absolute path outside the scratch folders
  (``shutil.rmtree("/")``, ``os.remove(Path.home() / ".bashrc")``).
- SF105 introspection-escape: ``__subclasses__``, ``__globals__``, frame globals and the like,
  and ``gc.get_objects``/``get_referrers``/``get_referents``, which hand out every object.
"""

from __future__ import annotations

import ast

from .findings import Finding, code_line
from .names import (
    ATTRGETTERS,
    DUNDER_GETTERS,
    GETATTR,
    METHODCALLERS,
    NAMESPACES,
    Names,
    attribute_lookup,
    member,
)
from .paths import system_path
from .policy import (
    DELETING_CALLS,
    DELETING_METHODS,
    DENIED_METHOD_REASONS,
    DENIED_METHODS,
    ESCAPE_ATTRIBUTES,
    Policy,
    Violation,
    canonical,
)

_MAX_HOPS = 8  # names and lookups followed back to where a value was taken from


class PolicyChecker(ast.NodeVisitor):
    def __init__(self, tree: ast.Module, lines: list[str], policy: Policy) -> None:
        self.names = Names(tree)
        self.lines = lines
        self.policy = policy
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()

    def check(self, tree: ast.Module) -> list[Finding]:
        self.visit(tree)
        return self.findings

    # --- reporting --------------------------------------------------------------------

    def report(self, node: ast.AST, rule: str, name: str, message: str) -> None:
        line, column = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        if (rule, line, column) in self._seen:
            return
        self._seen.add((rule, line, column))
        self.findings.append(
            Finding(
                rule=rule,
                name=name,
                source="policy",
                severity="high",
                line=line,
                column=column,
                message=message,
                code=code_line(self.lines, line),
            )
        )

    def _violation(self, node: ast.AST, violation: Violation, verb: str) -> None:
        target = violation.target.removeprefix("builtins.")
        if violation.rule == "SF101":
            message = f"{verb} {target}: module {violation.entry} is denied ({violation.reason})"
        else:
            message = f"{verb} {target}: denied ({violation.reason})"
        self.report(node, violation.rule, violation.name, message)

    def _check_reference(self, node: ast.expr) -> bool:
        """Report the first violation among what ``node`` may stand for; True if one."""
        for qname in sorted(self.names.resolve(node)):
            violation = self.policy.judge(qname)
            if violation is not None:
                self._violation(node, violation, "uses")
                return True
        return False

    # --- imports ----------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            violation = self.policy.judge(alias.name)
            if violation is not None:
                self._violation(node, violation, "imports")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            return  # the script's own package
        module = node.module or ""
        for alias in node.names:
            qname = module if alias.name == "*" else member(module, alias.name)
            violation = self.policy.judge(qname)
            if violation is not None:
                self._violation(node, violation, "imports")

    # --- references -------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._check_reference(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in ESCAPE_ATTRIBUTES:
            self._escape(node, node.attr)
        if node.attr in DENIED_METHODS:
            self._denied_method(node, node.attr)
        if node.attr == "__dict__":
            self._namespace(node)
        self._on_unknown_member(node, node.value, {node.attr})
        if isinstance(node.ctx, ast.Load) and self._check_reference(node):
            return  # the outermost name reported; its parts are the same finding
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self._check_reference(node):
            self.visit(node.slice)
            return
        self._dynamic_lookup(node, node.value, node.slice)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = self.names.resolve(node.func)
        lookup = attribute_lookup(node, func)
        self._destructive(node, func)
        if func & NAMESPACES or GETATTR in func or lookup is not None:
            self._namespace(node)
        if func & (ATTRGETTERS | METHODCALLERS):
            self._getter(node, "methodcaller" if func & METHODCALLERS else "attrgetter")
        if lookup is not None:
            self._dynamic_getattr(node, *lookup)
        elif (
            isinstance(node.func, ast.Attribute)
            and node.args
            and node.func.attr in ("get", "__getitem__", "pop", "setdefault")
        ):
            self._dynamic_lookup(node, node.func.value, node.args[0])
        self._getattr_passed(node)
        if self._check_reference(node):
            # What it returns is reported; how it got there may be a violation of its own
            # (importlib.import_module), and so may its arguments.
            for part in [node.func, *node.args, *node.keywords]:
                self.visit(part)
            return
        self.generic_visit(node)

    # --- dynamic access and escapes ---------------------------------------------------

    def _dynamic_getattr(self, node: ast.Call, owner: ast.expr, name: ast.expr) -> None:
        attributes = self.names.strings(name)
        if attributes is not None:
            for attribute in sorted(attributes & ESCAPE_ATTRIBUTES):
                self._escape(node, attribute)
            for attribute in sorted(attributes & DENIED_METHODS.keys()):
                self._denied_method(node, attribute)
            self._on_unknown_member(node, owner, attributes)
            return
        for qname in sorted(self.names.resolve(owner)):
            if self.policy.owns_denied(qname):
                self.report(
                    node,
                    "SF103",
                    "dynamic-access",
                    f"looks up a member of {qname} by a computed name, which may be denied",
                )
                return
        self._on_unknown_member(node, owner, None)

    def _on_unknown_member(self, node: ast.expr, owner: ast.expr, names: set[str] | None) -> None:
        """A denied member's name (or a computed one: ``names`` None) looked up on what a
        computed lookup took from a module holding a sensitive one: ``getattr(logging,
        name).system`` may be ``os.system``. The lookup alone is left alone: ``getattr(logging,
        level_name)`` is how scripts read a log level."""
        if names is not None:
            names = {n for n in names if n == "__dict__" or self.policy.denied_member(n)}
            if not names:
                return
        holder = self._taken_from_holder(owner)
        if holder is None:
            return
        what = "a computed name" if names is None else ", ".join(f".{n}" for n in sorted(names))
        self.report(
            node,
            "SF103",
            "dynamic-access",
            f"looks up {what} on what a computed name took from {holder},"
            " which may reach something denied",
        )

    def _taken_from_holder(self, expr: ast.expr, depth: int = 0) -> str | None:
        """The module ``expr`` was looked up on by a computed name (directly or through the
        names it is bound to), when that module holds one with denied members."""
        if depth > _MAX_HOPS:
            return None
        if isinstance(expr, ast.Name):
            for value in self.names.values.get(expr.id, ()):
                found = self._taken_from_holder(value, depth + 1)
                if found is not None:
                    return found
            return None
        if not isinstance(expr, ast.Call):
            return None
        lookup = attribute_lookup(expr, self.names.resolve(expr.func))
        if lookup is None:
            return None
        owner, name = lookup
        if self.names.strings(name) is not None:
            return None  # a known name: resolve() already says what it is
        for qname in sorted(self.names.resolve(owner)):
            if self.policy.holds(qname):
                return self._holder(qname)
        return self._taken_from_holder(owner, depth + 1)

    def _getattr_passed(self, node: ast.Call) -> None:
        """``functools.reduce(getattr, ["system"], os)``, ``map(getattr, [os], names)``:
        getattr handed to a call that applies it to the call's other arguments, by names out
        of sight; on a sensitive one, that is a computed lookup on it."""
        operands = self._operands(node)
        getter = next((operand for operand in operands if self._is_getter(operand)), None)
        if getter is None:
            return
        owners = [operand for operand in operands if operand is not getter]
        if isinstance(getter, ast.Attribute) and getter.attr in DUNDER_GETTERS:
            owners.append(getter.value)  # os.__getattribute__ looks up on os
        for owner in owners:
            for part in (owner, *self.names.elements(owner)):
                for qname in sorted(self.names.resolve(part)):
                    if self.policy.sensitive(qname):
                        self.report(
                            node,
                            "SF103",
                            "dynamic-access",
                            f"passes getattr along with {self._holder(qname)}: a lookup on it"
                            " by names out of sight, which may be denied",
                        )
                        return

    def _operands(self, node: ast.Call) -> list[ast.expr]:
        """A call's arguments, ``*args`` and ``**kwargs`` spelled out where they are known."""
        spread = [a.value for a in node.args if isinstance(a, ast.Starred)]
        spread += [k.value for k in node.keywords if k.arg is None]
        plain = [a for a in node.args if not isinstance(a, ast.Starred)]
        plain += [k.value for k in node.keywords if k.arg is not None]
        return plain + [element for s in spread for element in self.names.elements(s)]

    def _is_getter(self, expr: ast.expr) -> bool:
        """getattr under any alias, or a ``__getattribute__`` passed as a value."""
        if isinstance(expr, ast.Attribute) and expr.attr in DUNDER_GETTERS:
            return True
        return GETATTR in self.names.resolve(expr)

    def _holder(self, qname: str) -> str:
        """``os``; ``logging (which holds os)`` when what it holds makes it sensitive."""
        if self.policy.owns_denied(qname):
            return qname
        return f"{qname} (which holds {', '.join(self.policy.holds(qname))})"

    def _getter(self, node: ast.Call, kind: str) -> None:
        """``operator.attrgetter("a.b", ...)``, ``operator.methodcaller("name", ...)``: the
        object they are applied to is out of sight, so the names are judged on their own."""
        for argument in node.args[:1] if kind == "methodcaller" else node.args:
            paths = self.names.strings(argument)
            if paths is None:
                self.report(
                    node,
                    "SF103",
                    "dynamic-access",
                    f"operator.{kind} looks up a computed name, which may be denied",
                )
                return
            attributes = {part for path in paths for part in path.split(".")}
            for attribute in sorted(attributes & ESCAPE_ATTRIBUTES):
                self._escape(node, attribute)
            for attribute in sorted(attributes & DENIED_METHODS.keys()):
                self._denied_method(node, attribute)
            for attribute in sorted(attributes):
                qname = self.policy.denied_member(attribute)
                if qname is not None:
                    self.report(
                        node,
                        "SF103",
                        "dynamic-access",
                        f"operator.{kind} looks up {attribute!r}, which may be"
                        f" {qname.removeprefix('builtins.')} (denied)",
                    )
                    return

    def _dynamic_lookup(self, node: ast.expr, container: ast.expr, key: ast.expr) -> None:
        if self.names.strings(key) is not None:
            return
        for qname in sorted(self.names.resolve(container)):
            if (qname.endswith(".__dict__") or qname in ("builtins", "sys.modules")) and (
                self.policy.sensitive(qname)
            ):
                self.report(
                    node,
                    "SF103",
                    "dynamic-access",
                    f"looks up {qname} by a computed key, which may reach something denied",
                )
                return

    def _namespace(self, node: ast.expr) -> None:
        """``vars(os)``, ``os.__dict__``: every member at once, the denied ones included."""
        for qname in sorted(self.names.resolve(node)):
            if qname.endswith(".__dict__") and self.policy.sensitive(qname):
                owner = canonical(qname.removesuffix(".__dict__"))
                self.report(
                    node,
                    "SF103",
                    "dynamic-access",
                    f"takes the namespace of {owner}, which holds denied members",
                )
                return

    def _denied_method(self, node: ast.expr, attribute: str) -> None:
        qname = DENIED_METHODS[attribute]
        if self.policy.allows(qname):
            return
        self.report(
            node,
            "SF102",
            "denied-call",
            f"uses .{attribute}: denied on any object ({DENIED_METHOD_REASONS[attribute]})",
        )

    def _escape(self, node: ast.expr, attribute: str) -> None:
        self.report(
            node,
            "SF105",
            "introspection-escape",
            f"reaches {attribute}, a way around every check on names",
        )

    # --- destructive paths ------------------------------------------------------------

    def _destructive(self, node: ast.Call, func: frozenset[str]) -> None:
        func = frozenset(canonical(q) for q in func)
        deleting = sorted(q for q in func & DELETING_CALLS if not self.policy.allows(q))
        target: ast.expr | None = None
        if deleting:
            target = node.args[0] if node.args else _keyword(node, "path", "name")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in DELETING_METHODS:
            if self.policy.allows(f"pathlib.Path.{node.func.attr}"):
                return
            deleting, target = [f"Path.{node.func.attr}"], node.func.value
        if target is None:
            return
        path = system_path(target, self.names)
        if path is not None:
            self.report(
                node,
                "SF104",
                "destructive-path",
                f"{deleting[0]} deletes {path!r}, outside the script's own files",
            )


def _keyword(call: ast.Call, *names: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg in names), None)

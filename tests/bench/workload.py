"""The workload every benchmark shares: a 20 KB script and 1,000 small successive edits."""

from __future__ import annotations

import random

_WORDS = [
    "order",
    "customer",
    "invoice",
    "total",
    "amount",
    "price",
    "quantity",
    "region",
    "report",
    "month",
    "year",
    "batch",
    "record",
    "value",
    "result",
    "frame",
    "column",
    "row",
    "index",
    "cache",
    "client",
    "session",
    "request",
    "response",
    "status",
    "error",
    "retry",
    "timeout",
    "limit",
    "offset",
    "page",
    "item",
    "name",
    "path",
    "file",
    "line",
    "token",
    "parser",
]


def _identifier(rng: random.Random) -> str:
    return "_".join(rng.sample(_WORDS, rng.randint(1, 3)))


def _statement(rng: random.Random, indent: str) -> str:
    kind = rng.randrange(6)
    a, b = _identifier(rng), _identifier(rng)
    if kind == 0:
        return f"{indent}{a} = {b}.get({rng.randint(0, 999)!r}, {rng.random():.4f})"
    if kind == 1:
        return f'{indent}log.info("{a} %s {rng.choice(_WORDS)}", {b})'
    if kind == 2:
        return f"{indent}{a} = [{b}[i] * {rng.randint(2, 97)} for i in range(len({b}))]"
    if kind == 3:
        return f"{indent}if {a} > {rng.randint(0, 10_000)}:\n{indent}    {b} += {rng.randint(1, 9)}"
    if kind == 4:
        return f"{indent}{a} = sum({b}) / max(1, len({b}))  # {rng.choice(_WORDS)}"
    return f"{indent}{a}.update({b}={rng.randint(0, 10**6)})"


def base_script(rng: random.Random, size: int = 20_000) -> str:
    lines = ['"""Nightly batch job."""', "import logging", "", "log = logging.getLogger(__name__)"]
    while sum(len(line) + 1 for line in lines) < size:
        lines += ["", "", f"def {_identifier(rng)}_{rng.randint(0, 99)}({_identifier(rng)}):"]
        lines += [f'    """{rng.choice(_WORDS).capitalize()} the {_identifier(rng)}."""']
        lines += [_statement(rng, "    ") for _ in range(rng.randint(3, 9))]
        lines += [f"    return {_identifier(rng)}"]
    return "\n".join(lines) + "\n"


def successive_edits(count: int = 1000, seed: int = 20261126) -> list[str]:
    """``count`` versions of one script, each 1-3 lines changed from the one before."""
    rng = random.Random(seed)
    text = base_script(rng)
    versions = [text]
    for _ in range(count - 1):
        lines = text.split("\n")
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(5, len(lines) - 1)
            choice = rng.random()
            if choice < 0.5:
                lines[at] = _statement(rng, "    ")
            elif choice < 0.8:
                lines.insert(at, _statement(rng, "    "))
            elif len(lines) > 50:
                del lines[at]
        text = "\n".join(lines)
        versions.append(text)
    return versions


def small_script(rng: random.Random) -> str:
    return "\n".join(_statement(rng, "") for _ in range(rng.randint(20, 60))) + "\n"

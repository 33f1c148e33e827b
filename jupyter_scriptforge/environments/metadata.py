"""What a script declares it needs, in PEP 723 inline metadata::

    # /// script
    # requires-python = ">=3.11"
    # dependencies = ["requests<3", "rich"]
    # ///

the block ``uv run`` and ``pipx run`` read. Read from the text alone, never by running it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..errors import InvalidInput

# The reference expression of PEP 723.
_BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")


@dataclass(frozen=True)
class ScriptNeeds:
    """The ``script`` block: requirements as written, and the Pythons it runs on."""

    dependencies: tuple[str, ...] = ()
    requires_python: str | None = None

    def check_python(self, interpreter: str, version: str) -> None:
        """400 unless ``version`` (the interpreter's) satisfies ``requires-python``."""
        if self.requires_python is None:
            return
        try:
            supported = Version(version) in SpecifierSet(self.requires_python)
        except InvalidVersion:
            return  # a version we cannot compare: the run will tell
        if not supported:
            raise InvalidInput(
                f"The script requires Python {self.requires_python}; {interpreter} is {version}.",
                field="requires-python",
            )


def read_needs(source: str) -> ScriptNeeds | None:
    """The script's ``script`` block, or None if it has none. A block that is not valid
    TOML, or names a requirement or Python range that cannot be read, is a 400 in words."""
    blocks = [m for m in _BLOCK.finditer(source) if m.group("type") == "script"]
    if not blocks:
        return None
    if len(blocks) > 1:
        raise InvalidInput("The script has more than one '# /// script' block (PEP 723).")
    content = "".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in blocks[0].group("content").splitlines(keepends=True)
    )
    try:
        table = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"The '# /// script' block is not valid TOML: {error}.") from None
    dependencies = table.get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise InvalidInput("dependencies must be a list of requirement strings.")
    for dependency in dependencies:
        try:
            Requirement(dependency)
        except InvalidRequirement as error:
            raise InvalidInput(f"Dependency {dependency!r} cannot be read: {error}") from None
    requires_python = table.get("requires-python")
    if requires_python is not None:
        try:
            SpecifierSet(str(requires_python))
        except InvalidSpecifier:
            raise InvalidInput(
                f"requires-python {requires_python!r} is not a version range."
            ) from None
    return ScriptNeeds(tuple(dependencies), requires_python)

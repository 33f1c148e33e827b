"""Who acts, and what they may do: ScriptForge's rights and the JupyterHub scopes that grant them.

A team grants rights as JupyterHub custom scopes (``custom:scriptforge:read`` …), given to
roles in the hub's configuration; the hub puts the ones a request's token holds in the
request's user model. Alone (``jupyter lab``), whoever holds the server's token is its one
user and may do everything.

The services take an ``Actor`` and check its rights themselves, so no handler, command line
or schedule can reach around them. The rules per script:

- read: see team scripts and one's own private ones, their versions, runs and groups;
- write: change what one sees (save, restore, label, publish, rename, tag) and create;
- deleting a script, changing its visibility and giving it away: its owner or an admin;
- run: start and cancel one's runs; assistant: ask the model; admin: all of these, plus
  overriding a guardrail hold and reading the audit log. Another
  user's private script stays private to an admin too.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Forbidden

SCOPE_PREFIX = "custom:scriptforge:"


class Right(enum.Enum):
    READ = "read"
    WRITE = "write"
    RUN = "run"
    ASSISTANT = "assistant"
    ADMIN = "admin"

    @property
    def scope(self) -> str:
        """The JupyterHub custom scope that grants this right."""
        return SCOPE_PREFIX + self.value


# What a right brings with it, so a role needs only its highest scope (the hub config also
# declares these as subscopes; JupyterHub expands them, this keeps a token honest without).
_IMPLIED: dict[Right, frozenset[Right]] = {
    Right.READ: frozenset({Right.READ}),
    Right.WRITE: frozenset({Right.WRITE, Right.READ}),
    Right.RUN: frozenset({Right.RUN, Right.READ}),
    Right.ASSISTANT: frozenset({Right.ASSISTANT, Right.READ}),
    Right.ADMIN: frozenset(Right),
}

# What a refusal says the user cannot do, by right.
_DOING = {
    Right.READ: "use ScriptForge",
    Right.WRITE: "change scripts",
    Right.RUN: "run scripts",
    Right.ASSISTANT: "use the assistant",
    Right.ADMIN: "do this (it needs ScriptForge's admin right)",
}


@dataclass(frozen=True)
class Actor:
    """A user as ScriptForge's services see them: a name and the rights of this request."""

    name: str
    rights: frozenset[Right]

    @classmethod
    def with_all_rights(cls, name: str) -> Actor:
        """The one user of a server run alone."""
        return cls(name, frozenset(Right))

    @classmethod
    def of_scopes(cls, name: str, scopes: Iterable[str]) -> Actor:
        """A JupyterHub user, with the rights the request's scopes grant."""
        rights: set[Right] = set()
        for scope in scopes:
            if scope.startswith(SCOPE_PREFIX):
                try:
                    rights |= _IMPLIED[Right(scope[len(SCOPE_PREFIX) :])]
                except ValueError:
                    continue  # a scope of a later version, or a typo in the hub config
        return cls(name, frozenset(rights))

    @property
    def is_admin(self) -> bool:
        return Right.ADMIN in self.rights

    def may(self, right: Right) -> bool:
        return right in self.rights

    def require(self, right: Right) -> None:
        """Refuse (403) unless the actor holds ``right``."""
        if right not in self.rights:
            raise Forbidden(
                f"{self.name} may not {_DOING[right]}: that needs the scope {right.scope}.",
                needs=right.scope,
            )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "rights": sorted(right.value for right in self.rights),
            "admin": self.is_admin,
        }


def require_owner_or_admin(actor: Actor, owner: str, script_name: str) -> None:
    """Deleting a script, changing who sees it and giving it away: its owner (with the write
    right) or an admin."""
    if actor.is_admin:
        return
    actor.require(Right.WRITE)
    if owner != actor.name:
        raise Forbidden(
            f"Only {owner}, the owner of {script_name!r}, or an admin may delete it, "
            "change who sees it or give it away."
        )

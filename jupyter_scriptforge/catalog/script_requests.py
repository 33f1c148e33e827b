"""What a user may ask of the catalog, checked: a new script (``POST scripts``, and the
assistant's ``POST assistant/create``) and a script's changes (``PATCH scripts/{id}``).
Names, folders and tags follow ``naming``'s rules, which the catalog applies to files too."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput
from ..inputs import Body, known_fields, optional_text
from . import naming

NEW_SCRIPT_FIELDS = frozenset(
    {"name", "folder", "description", "tags", "interpreter", "visibility", "content", "message"}
)
_CHANGE_FIELDS = (
    "name",
    "folder",
    "description",
    "tags",
    "interpreter",
    "visibility",
    "owner",
    "deleted",
)
# Changes only the owner or an admin may make (``rights.require_owner_or_admin``).
GOVERNING_FIELDS = frozenset({"visibility", "owner"})


@dataclass(frozen=True)
class NewScript:
    # As given, checked: the catalog normalises it (once: "a.py.py" is the script "a.py").
    name: str
    folder: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    interpreter: str | None = None
    visibility: str = "private"
    content: str = ""
    message: str = "Created"


@dataclass(frozen=True)
class ScriptChanges:
    """The fields to change, by column (``tags`` a sorted list), and whether a deleted
    script comes back (``"deleted": false``)."""

    fields: dict[str, Any]
    undelete: bool = False


def new_script(body: Body, allowed: Collection[str] = NEW_SCRIPT_FIELDS) -> NewScript:
    known_fields(body, allowed, required=("name",))
    naming.script_name(body["name"])  # refused here, before anything else is done
    return NewScript(
        name=body["name"],
        folder=naming.folder(body.get("folder", "")),
        description=_description(body),
        tags=tuple(naming.tags(body.get("tags", []))),
        interpreter=naming.interpreter(body.get("interpreter")),
        visibility=naming.visibility(body.get("visibility", "private")),
        content=optional_text(body, "content") or "",
        message=optional_text(body, "message") or "Created",
    )


def script_changes(body: Body) -> ScriptChanges:
    known_fields(body, _CHANGE_FIELDS)
    if "deleted" in body and body["deleted"] is not False:
        raise InvalidInput('Use DELETE to delete; "deleted": false restores a script.')
    fields: dict[str, Any] = {}
    if "name" in body:
        fields["name"] = naming.script_name(body["name"])
    if "folder" in body:
        fields["folder"] = naming.folder(body["folder"])
    if "description" in body:
        fields["description"] = _description(body)
    if "tags" in body:
        fields["tags"] = naming.tags(body["tags"])
    if "interpreter" in body:
        fields["interpreter"] = naming.interpreter(body["interpreter"])
    if "visibility" in body:
        fields["visibility"] = naming.visibility(body["visibility"])
    if "owner" in body:
        fields["owner"] = naming.user_name(body["owner"], "owner")
    return ScriptChanges(fields, undelete="deleted" in body)


def _description(body: Body) -> str:
    description = body.get("description", "")
    if not isinstance(description, str):
        raise InvalidInput("description must be a string.")
    return description

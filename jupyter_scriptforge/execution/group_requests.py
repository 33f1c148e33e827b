"""What a user may ask for when defining or changing a group, checked (``POST groups``,
``PATCH groups/{id}``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput
from ..inputs import Body, arguments, known_fields, optional_id, optional_name, timeout

MODES = ("sequential", "parallel")
MAX_ITEMS = 200
_FIELDS = ("name", "mode", "max_concurrency", "stop_on_failure", "item_timeout_seconds", "items")
_ITEM_FIELDS = {"script_id", "args", "parameters", "interpreter", "timeout_seconds"}


@dataclass(frozen=True)
class ItemDraft:
    script_id: int
    args: list[str] = field(default_factory=list)
    # Values of the script's parameters, instead of ``args``.
    parameters: dict[str, Any] | None = None
    interpreter: str | None = None
    timeout_seconds: float | None = None


@dataclass(frozen=True)
class GroupDraft:
    """The group's fields given (``values``, by column) and its items, if given."""

    values: dict[str, Any]
    items: list[ItemDraft] | None = None


def group_draft(body: Body, max_timeout: float, creating: bool) -> GroupDraft:
    known_fields(body, _FIELDS)
    if creating and "name" not in body:
        raise InvalidInput("A group needs a name.")
    values: dict[str, Any] = {}
    if "name" in body:
        name = body["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > 255 or "\0" in name:
            raise InvalidInput("name must be 1 to 255 characters.")
        values["name"] = name.strip()
    if "mode" in body:
        if body["mode"] not in MODES:
            raise InvalidInput("mode must be sequential or parallel.")
        values["mode"] = body["mode"]
    if "max_concurrency" in body:
        value = body["max_concurrency"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
            raise InvalidInput("max_concurrency must be an integer from 1 to 64.")
        values["max_concurrency"] = value
    if "stop_on_failure" in body:
        if not isinstance(body["stop_on_failure"], bool):
            raise InvalidInput("stop_on_failure must be true or false.")
        values["stop_on_failure"] = body["stop_on_failure"]
    if "item_timeout_seconds" in body:
        values["item_timeout_seconds"] = timeout(body["item_timeout_seconds"], max_timeout)
    items = _items(body["items"], max_timeout) if "items" in body else None
    return GroupDraft(values, items)


def _items(value: object, max_timeout: float) -> list[ItemDraft]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise InvalidInput(f"items must be a list of at most {MAX_ITEMS} scripts.")
    items = []
    for position, raw in enumerate(value):
        if not isinstance(raw, dict) or set(raw) - _ITEM_FIELDS:
            raise InvalidInput(
                "Each item is {script_id, args? or parameters?, interpreter?, timeout_seconds?}."
            )
        script_id = optional_id(raw, "script_id")
        if script_id is None:
            raise InvalidInput(f"Item {position + 1} needs a script_id.")
        parameters = raw.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            raise InvalidInput(f"Item {position + 1}: parameters must be an object of values.")
        if parameters is not None and raw.get("args"):
            raise InvalidInput(f"Item {position + 1}: give either parameters or args, not both.")
        items.append(
            ItemDraft(
                script_id=script_id,
                args=arguments(raw.get("args")),
                parameters=parameters,
                interpreter=optional_name(raw, "interpreter"),
                timeout_seconds=timeout(raw.get("timeout_seconds"), max_timeout),
            )
        )
    return items

"""Groups: named, ordered lists of scripts that run together, sequentially or in parallel."""

from __future__ import annotations

from typing import Any

from .._async import run_blocking
from ..catalog.service import CatalogService
from ..db.models import Group, GroupItem
from ..db.run_store import RunStore
from ..db.store import UniqueViolationError
from ..errors import Conflict, InvalidInput, NotFound
from . import run_requests

MODES = ("sequential", "parallel")
MAX_ITEMS = 200
_FIELDS = {"name", "mode", "max_concurrency", "stop_on_failure", "item_timeout_seconds", "items"}


def group_json(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "owner": group.owner,
        "mode": group.mode,
        "max_concurrency": group.max_concurrency,
        "stop_on_failure": group.stop_on_failure,
        "item_timeout_seconds": group.item_timeout_seconds,
        "items": [
            {
                "script_id": item.script_id,
                "args": list(item.args),
                "interpreter": item.interpreter,
                "timeout_seconds": item.timeout_seconds,
            }
            for item in group.items
        ],
        "created_at": group.created_at.isoformat(),
        "updated_at": group.updated_at.isoformat(),
    }


class GroupService:
    def __init__(self, runs: RunStore, catalog: CatalogService, max_timeout: float) -> None:
        self._runs = runs
        self._catalog = catalog
        self._max_timeout = max_timeout

    async def create(self, owner: str, body: dict[str, Any]) -> dict[str, Any]:
        values, items = await run_blocking(self._checked, owner, body, True)
        group = Group(owner=owner, **values)
        group.items = items or []
        try:
            created = await run_blocking(self._runs.add_group, group)
        except UniqueViolationError as error:
            raise Conflict(f"You already have a group named {values['name']!r}.") from error
        return group_json(created)

    async def get(self, viewer: str, group_id: int) -> dict[str, Any]:
        return group_json(await self.group_of(viewer, group_id))

    async def group_of(self, viewer: str, group_id: int) -> Group:
        group = await run_blocking(self._runs.group, group_id)
        if group is None or group.owner != viewer:
            raise NotFound(f"There is no group {group_id}.")
        return group

    async def owned_by(self, viewer: str) -> list[dict[str, Any]]:
        return [group_json(group) for group in await run_blocking(self._runs.groups, viewer)]

    async def update(self, viewer: str, group_id: int, body: dict[str, Any]) -> dict[str, Any]:
        await self.group_of(viewer, group_id)
        values, items = await run_blocking(self._checked, viewer, body, False)
        try:
            group = await run_blocking(self._runs.update_group, group_id, values, items)
        except UniqueViolationError as error:
            raise Conflict(f"You already have a group named {values.get('name')!r}.") from error
        if group is None:
            raise NotFound(f"There is no group {group_id}.")
        return group_json(group)

    async def delete(self, viewer: str, group_id: int) -> None:
        await self.group_of(viewer, group_id)
        await run_blocking(self._runs.delete_group, group_id)

    def _checked(
        self, viewer: str, body: dict[str, Any], creating: bool
    ) -> tuple[dict[str, Any], list[GroupItem] | None]:
        unknown = sorted(set(body) - _FIELDS)
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}.")
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
            values["item_timeout_seconds"] = run_requests.timeout(
                body["item_timeout_seconds"], self._max_timeout
            )
        items = self._items(viewer, body["items"]) if "items" in body else None
        return values, items

    def _items(self, viewer: str, value: object) -> list[GroupItem]:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise InvalidInput(f"items must be a list of at most {MAX_ITEMS} scripts.")
        items = []
        for position, raw in enumerate(value):
            if not isinstance(raw, dict) or set(raw) - {
                "script_id",
                "args",
                "interpreter",
                "timeout_seconds",
            }:
                raise InvalidInput(
                    "Each item is {script_id, args?, interpreter?, timeout_seconds?}."
                )
            script_id = run_requests.optional_id(raw, "script_id")
            if script_id is None:
                raise InvalidInput(f"Item {position + 1} needs a script_id.")
            try:
                self._catalog.get_sync(script_id, viewer)
            except NotFound as error:
                raise InvalidInput(f"Item {position + 1}: {error}") from error
            items.append(
                GroupItem(
                    position=position,
                    script_id=script_id,
                    args=run_requests.arguments(raw.get("args")),
                    interpreter=run_requests.optional_name(raw, "interpreter"),
                    timeout_seconds=run_requests.timeout(
                        raw.get("timeout_seconds"), self._max_timeout
                    ),
                )
            )
        return items

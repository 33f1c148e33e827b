"""Groups: named, ordered lists of scripts that run together, sequentially or in parallel."""

from __future__ import annotations

from typing import Any

from .._async import run_blocking
from ..catalog.service import CatalogService
from ..db.models import Group, GroupItem
from ..db.run_store import RunStore
from ..db.store import UniqueViolationError
from ..errors import Conflict, InvalidInput, NotFound
from ..parameters.service import ParameterService
from ..rights import Actor, Right
from .group_requests import GroupDraft, ItemDraft


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
                "parameters": item.parameters,
                "interpreter": item.interpreter,
                "timeout_seconds": item.timeout_seconds,
            }
            for item in group.items
        ],
        "created_at": group.created_at.isoformat(),
        "updated_at": group.updated_at.isoformat(),
    }


class GroupService:
    def __init__(
        self,
        runs: RunStore,
        catalog: CatalogService,
        parameters: ParameterService,
        max_timeout: float,
    ) -> None:
        self._runs = runs
        self._catalog = catalog
        self._parameters = parameters
        # The longest timeout an item may have (the server's ``max_run_timeout``).
        self.max_timeout = max_timeout

    # A group is its owner's alone; changing one needs the write right ("viewers read").

    async def create(self, actor: Actor, draft: GroupDraft) -> dict[str, Any]:
        actor.require(Right.WRITE)
        owner = actor.name
        items = await run_blocking(self._items, owner, draft.items or [])
        group = Group(owner=owner, **draft.values)
        group.items = items
        try:
            created = await run_blocking(self._runs.add_group, group)
        except UniqueViolationError as error:
            raise Conflict(f"You already have a group named {draft.values['name']!r}.") from error
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

    async def update(self, actor: Actor, group_id: int, draft: GroupDraft) -> dict[str, Any]:
        actor.require(Right.WRITE)
        viewer = actor.name
        await self.group_of(viewer, group_id)
        items = (
            None if draft.items is None else await run_blocking(self._items, viewer, draft.items)
        )
        try:
            group = await run_blocking(self._runs.update_group, group_id, draft.values, items)
        except UniqueViolationError as error:
            name = draft.values.get("name")
            raise Conflict(f"You already have a group named {name!r}.") from error
        if group is None:
            raise NotFound(f"There is no group {group_id}.")
        return group_json(group)

    async def delete(self, actor: Actor, group_id: int) -> None:
        actor.require(Right.WRITE)
        await self.group_of(actor.name, group_id)
        await run_blocking(self._runs.delete_group, group_id)

    def _items(self, viewer: str, drafts: list[ItemDraft]) -> list[GroupItem]:
        """The items, each naming a script ``viewer`` may see (blocking)."""
        items = []
        for position, draft in enumerate(drafts):
            try:
                script = self._catalog.get_sync(draft.script_id, viewer)
                if draft.parameters is not None:
                    # Checked against the version the group runs now; again at each run.
                    self._parameters.check_sync(script, draft.parameters)
            except (NotFound, InvalidInput) as error:
                raise InvalidInput(f"Item {position + 1}: {error}", **error.details) from error
            items.append(
                GroupItem(
                    position=position,
                    script_id=draft.script_id,
                    args=draft.args,
                    parameters=draft.parameters,
                    interpreter=draft.interpreter,
                    timeout_seconds=draft.timeout_seconds,
                )
            )
        return items

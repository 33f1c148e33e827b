"""Groups of scripts that run together: create, list, read, change, delete."""

from tornado import web

from ..execution.group_requests import GroupDraft, group_draft
from ..execution.groups import GroupService
from .base import ScriptForgeHandler


class GroupsBase(ScriptForgeHandler):
    @property
    def groups(self) -> GroupService:
        return self.services.groups

    def draft(self, creating: bool) -> GroupDraft:
        return group_draft(self.json_object(), self.groups.max_timeout, creating)


class GroupsHandler(GroupsBase):
    @web.authenticated
    async def get(self) -> None:
        self.write_json({"groups": await self.groups.owned_by(self.user_name)})

    @web.authenticated
    async def post(self) -> None:
        created = await self.groups.create(self.actor, self.draft(creating=True))
        self.write_json(created, status=201)


class GroupHandler(GroupsBase):
    @web.authenticated
    async def get(self, group_id: str) -> None:
        self.write_json(await self.groups.get(self.user_name, self.path_id(group_id, "group")))

    @web.authenticated
    async def patch(self, group_id: str) -> None:
        group = self.path_id(group_id, "group")
        draft = self.draft(creating=False)
        self.write_json(await self.groups.update(self.actor, group, draft))

    @web.authenticated
    async def delete(self, group_id: str) -> None:
        await self.groups.delete(self.actor, self.path_id(group_id, "group"))
        self.set_status(204)
        self.finish()


default_handlers = [("groups", GroupsHandler), (r"groups/([^/]+)", GroupHandler)]

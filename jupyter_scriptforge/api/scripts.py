"""The catalog: /scripts, /scripts/{id}, /scripts/{id}/open."""

from tornado import web

from ..catalog.script_requests import new_script, script_changes
from ..catalog.service import CatalogService
from .base import ScriptForgeHandler


class CatalogHandler(ScriptForgeHandler):
    @property
    def catalog(self) -> CatalogService:
        return self.services.catalog


class ScriptsHandler(CatalogHandler):
    @web.authenticated
    async def get(self) -> None:
        deleted = self.get_query_argument("deleted", "false")
        if deleted not in ("true", "false"):
            raise web.HTTPError(400, "deleted is true or false.")
        page = await self.catalog.list(
            self.user_name,
            folder=self.get_query_argument("folder", None),
            tag=self.get_query_argument("tag", None),
            owner=self.get_query_argument("owner", None),
            text=self.get_query_argument("q", None),
            limit=self.int_argument("limit", 50),
            cursor=self.get_query_argument("cursor", None),
            include_deleted=deleted == "true",
            path=self.get_query_argument("path", None),
        )
        self.write_json(
            {"items": [s.to_json() for s in page.items], "next_cursor": page.next_cursor}
        )

    @web.authenticated
    async def post(self) -> None:
        script = await self.catalog.create(self.actor, new_script(self.json_object()))
        self.set_header("Location", self.request.path.rstrip("/") + f"/{script.id}")
        self.write_json(script.to_json(), status=201)


class FoldersHandler(CatalogHandler):
    @web.authenticated
    async def get(self) -> None:
        folders = await self.catalog.folders(self.user_name)
        self.write_json(
            {"folders": [{"folder": folder, "scripts": count} for folder, count in folders]}
        )


class TagsHandler(CatalogHandler):
    @web.authenticated
    async def get(self) -> None:
        tags = await self.catalog.tags(self.user_name)
        self.write_json({"tags": [{"tag": tag, "scripts": count} for tag, count in tags]})


class ScriptHandler(CatalogHandler):
    @web.authenticated
    async def get(self, script_id: str) -> None:
        script = await self.catalog.get(self.path_id(script_id, "script"), self.user_name)
        self.write_json(script.to_json())

    @web.authenticated
    async def patch(self, script_id: str) -> None:
        script = await self.catalog.update(
            self.path_id(script_id, "script"), self.actor, script_changes(self.json_object())
        )
        self.write_json(script.to_json())

    @web.authenticated
    async def delete(self, script_id: str) -> None:
        script = await self.catalog.delete(self.path_id(script_id, "script"), self.actor)
        self.write_json(script.to_json())


class OpenScriptHandler(CatalogHandler):
    """Ready the working copy for the editor; the answer's ``path`` is the file to open."""

    @web.authenticated
    async def post(self, script_id: str) -> None:
        script = await self.catalog.open(self.path_id(script_id, "script"), self.user_name)
        self.write_json(script.to_json())


default_handlers = [
    ("scripts", ScriptsHandler),
    ("folders", FoldersHandler),
    ("tags", TagsHandler),
    (r"scripts/([^/]+)", ScriptHandler),
    (r"scripts/([^/]+)/open", OpenScriptHandler),
]

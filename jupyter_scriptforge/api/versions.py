"""Versions: history, save, content, diff, restore, publish and labels."""

from tornado import web

from ..versions import version_requests
from ..versions.service import VersionService
from .scripts import CatalogHandler


class VersionsHandler(CatalogHandler):
    @property
    def versions(self) -> VersionService:
        return self.services.versions


class ScriptVersionsHandler(VersionsHandler):
    @web.authenticated
    async def get(self, script_id: str) -> None:
        limit = self.int_argument("limit", 100)
        if limit is None or not 1 <= limit <= 1000:
            raise web.HTTPError(400, "limit is between 1 and 1000.")
        history = await self.versions.history(
            self.path_id(script_id, "script"),
            limit=limit,
            before_seq=self.int_argument("before"),
            viewer=self.user_name,
        )
        self.write_json({"items": [v.to_json() for v in history]})

    @web.authenticated
    async def post(self, script_id: str) -> None:
        new = version_requests.new_version(self.json_object())
        saved = await self.catalog.save_version(
            self.path_id(script_id, "script"),
            new.content,
            self.actor,
            new.message,
            base_version_id=new.base_version_id,
        )
        self.write_json(saved.version.to_json(), status=201 if saved.created else 200)


class VersionHandler(VersionsHandler):
    @web.authenticated
    async def get(self, version_id: str) -> None:
        version, content = await self.versions.get(
            self.path_id(version_id, "version"), viewer=self.user_name
        )
        self.write_json({**version.to_json(), "content": content})


class DiffHandler(VersionsHandler):
    @web.authenticated
    async def get(self, script_id: str) -> None:
        old, new = self.required_int_argument("from"), self.required_int_argument("to")
        context = self.int_argument("context", 3)
        if context is None or not 0 <= context <= 100:
            raise web.HTTPError(400, "context is between 0 and 100.")
        diff = await self.versions.diff(
            self.path_id(script_id, "script"), old, new, context, viewer=self.user_name
        )
        self.write_json({"from": old, "to": new, "diff": diff})


class RestoreHandler(VersionsHandler):
    @web.authenticated
    async def post(self, script_id: str) -> None:
        version_id = version_requests.version_to_restore(self.json_object())
        saved = await self.catalog.restore_version(
            self.path_id(script_id, "script"), version_id, self.actor
        )
        self.write_json(saved.version.to_json(), status=201)


class PublishHandler(VersionsHandler):
    @web.authenticated
    async def post(self, script_id: str) -> None:
        publication = version_requests.publication(self.json_object())
        previous, version = await self.versions.publish(
            self.path_id(script_id, "script"),
            publication.version_id,
            self.actor,
            publication.base,
        )
        script = await self.catalog.get(self.path_id(script_id, "script"), self.user_name)
        self.write_json(
            {
                "script": script.to_json(),
                "published": version.to_json(),
                "previous_version_id": previous,
            }
        )


class LabelsHandler(VersionsHandler):
    @web.authenticated
    async def post(self, version_id: str) -> None:
        label = version_requests.label(self.json_object())
        labelled = await self.versions.label(self.path_id(version_id, "version"), label, self.actor)
        self.write_json(labelled.to_json())


class LabelHandler(VersionsHandler):
    @web.authenticated
    async def delete(self, version_id: str, label: str) -> None:
        if "\x00" in label:
            raise web.HTTPError(404, "There is no such label.")
        unlabelled = await self.versions.unlabel(
            self.path_id(version_id, "version"), label, self.actor
        )
        self.write_json(unlabelled.to_json())


default_handlers = [
    (r"scripts/([^/]+)/versions", ScriptVersionsHandler),
    (r"scripts/([^/]+)/diff", DiffHandler),
    (r"scripts/([^/]+)/restore", RestoreHandler),
    (r"scripts/([^/]+)/publish", PublishHandler),
    (r"versions/([^/]+)", VersionHandler),
    (r"versions/([^/]+)/labels", LabelsHandler),
    (r"versions/([^/]+)/labels/([^/]+)", LabelHandler),
]

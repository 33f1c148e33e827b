"""A run's artifacts: the files it left in its output folder, listed and downloaded."""

from urllib.parse import quote

from tornado import web
from tornado.iostream import StreamClosedError

from .._async import run_blocking
from .base import ScriptForgeHandler

_CHUNK = 1 << 20


class ArtifactsHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        run = self.path_id(run_id, "run")
        self.write_json(await self.services.artifacts.listing(self.user_name, run))


class ArtifactHandler(ScriptForgeHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        run = self.path_id(run_id, "run")
        name = self.get_query_argument("path", "")
        if not name:
            raise web.HTTPError(400, "path names the file to download.")
        path = await self.services.artifacts.file(self.user_name, run, name)
        # Always a download, never a page of the server's origin: a script wrote it.
        self.set_header("Content-Type", "application/octet-stream")
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(path.name)}")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", "sandbox")
        try:
            opened = await run_blocking(path.open, "rb")
        except FileNotFoundError:
            raise web.HTTPError(404, f"Run {run} kept no file {name!r} any more.") from None
        with opened as file:
            while chunk := await run_blocking(file.read, _CHUNK):
                try:
                    self.write(chunk)
                    await self.flush()
                except StreamClosedError:
                    return  # the client went away


default_handlers = [
    (r"runs/([^/]+)/artifacts", ArtifactsHandler),
    (r"runs/([^/]+)/artifact", ArtifactHandler),
]

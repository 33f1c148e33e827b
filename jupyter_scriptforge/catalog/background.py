"""Work the catalog does on its own: snapshots after saves, scans, search-index catch-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from .service import CatalogService

log = logging.getLogger(__name__)

# Saves within this long share one index catch-up; a search catches up on its own anyway.
_INDEX_DELAY_SECONDS = 1.0
# Saves within this long share one rewrite of the working copy.
_FOLLOW_DELAY_SECONDS = 0.25


class CatalogBackground:
    """Runs catalog work as tasks on the server's event loop, never inside a request."""

    def __init__(self, catalog: CatalogService, user: str, scan_interval: float) -> None:
        self._catalog = catalog
        self._user = user
        self._scan_interval = scan_interval
        self._tasks: set[asyncio.Task[Any]] = set()
        self._index_task: asyncio.Task[None] | None = None
        self._follow_waiting: set[tuple[int, str]] = set()
        self._scanner: asyncio.Task[None] | None = None

    # --- the contents manager's post-save hook ---------------------------------------

    def post_save(self, model: dict[str, Any], os_path: str, contents_manager: Any) -> None:
        """Snapshot a script saved in JupyterLab; adopt a new ``.py`` in the scripts folder."""
        if not os_path.endswith(".py") or self._catalog.files.locate(os_path) is None:
            return
        self._spawn(self._snapshot(os_path))

    async def _snapshot(self, os_path: str) -> None:
        info = await self._catalog.sync_file(os_path, self._user, "Saved in JupyterLab")
        if info is not None:
            self.refresh_index_soon()

    # --- after saves through the API --------------------------------------------------

    def head_moved(self, script_id: int, user: str) -> None:
        """A save or restore through the API: the working copy follows, the index catches up.

        Both happen a moment after the answer; a burst of saves rewrites the file once.
        ``idle()`` waits for the working copy.
        """
        key = (script_id, user)
        if key not in self._follow_waiting:
            self._follow_waiting.add(key)
            self._spawn(self._follow_head(key))
        self.refresh_index_soon()

    async def _follow_head(self, key: tuple[int, str]) -> None:
        await asyncio.sleep(_FOLLOW_DELAY_SECONDS)
        self._follow_waiting.discard(key)  # a save from now on needs another follow
        await self._catalog.follow_head(*key)

    # --- scans and the search index --------------------------------------------------

    def start(self) -> None:
        """Scan once now (edits made while the server was down), then every interval."""
        self._scanner = asyncio.get_running_loop().create_task(self._scan_forever())

    async def _scan_forever(self) -> None:
        while True:
            try:
                if await self._catalog.scan(self._user):
                    self.refresh_index_soon()
            except Exception:
                log.exception("ScriptForge: scanning the scripts folder failed")
            if self._scan_interval <= 0:
                return
            await asyncio.sleep(self._scan_interval)

    def refresh_index_soon(self) -> None:
        """Coalesce: one catch-up serves every save made while it waits."""
        if self._index_task is None or self._index_task.done():
            self._index_task = asyncio.get_running_loop().create_task(self._refresh_index())

    async def _refresh_index(self) -> None:
        await asyncio.sleep(_INDEX_DELAY_SECONDS)
        try:
            await self._catalog.refresh_index()
        except Exception:
            log.exception("ScriptForge: updating the search index failed")

    async def idle(self) -> None:
        """Wait until the snapshots already started are recorded."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        for task in (self._scanner, self._index_task):
            if task is not None:
                task.cancel()
        await self.idle()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("ScriptForge background work failed", exc_info=task.exception())

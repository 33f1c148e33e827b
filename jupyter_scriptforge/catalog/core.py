"""What every part of the catalog stands on: the store, the versions and the working copies
it is built on, a script as the API shows it, who may see it, and making one."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .._async import run_blocking
from ..db.models import Script
from ..db.store import Store, StoreSession, UniqueViolationError
from ..errors import Conflict, InvalidInput, NotFound
from ..rights import Actor, Right
from ..versions.service import SaveResult, VersionInfo, VersionService
from . import naming
from .info import ScriptInfo
from .script_requests import NewScript
from .workingcopy import FileState, WorkingCopies

# A save that lost a race with another server's (same seq or blob) is tried again on top.
_SAVE_ATTEMPTS = 3


class CatalogCore:
    """Every ``_sync`` method blocks; ``await`` the async face of the same name instead."""

    def __init__(self, store: Store, versions: VersionService, files: WorkingCopies) -> None:
        self._store = store
        self._versions = versions
        self.files = files
        # A working copy is read-and-snapshotted or rewritten one call at a time.
        self._file_locks = [threading.Lock() for _ in range(64)]
        # Told (on the event loop) of each new head saved or restored through the API.
        self._head_listeners: list[Callable[[int, str], None]] = []
        self._change_listeners: list[Callable[[ScriptInfo], None]] = []

    def on_head_moved(self, listener: Callable[[int, str], None]) -> None:
        """Call ``listener(script_id, user)`` after each new version ``save_version`` or
        ``restore_version`` records (the working copy and the search index follow it)."""
        self._head_listeners.append(listener)

    def on_script_changed(self, listener: Callable[[ScriptInfo], None]) -> None:
        """Call ``listener(info)`` (on the event loop) after each change ``update`` makes
        to a script: its interpreter, name, folder..."""
        self._change_listeners.append(listener)

    def _script_changed(self, info: ScriptInfo) -> ScriptInfo:
        for listener in self._change_listeners:
            listener(info)
        return info

    def _head_moved(self, saved: SaveResult, script_id: int, user: str) -> SaveResult:
        if saved.created:
            for listener in self._head_listeners:
                listener(script_id, user)
        return saved

    def _info(self, script: Script) -> ScriptInfo:
        return ScriptInfo(
            id=script.id,
            name=script.name,
            folder=script.folder,
            path=self.files.api_path_of(script.folder, script.name),
            description=script.description,
            tags=tuple(tag.tag for tag in script.tags),
            interpreter=script.interpreter,
            owner=script.owner,
            visibility=script.visibility,
            head_version_id=script.head_version_id,
            published_version_id=script.published_version_id,
            created_at=script.created_at,
            updated_at=script.updated_at,
            deleted_at=script.deleted_at,
        )

    # --- create and read ------------------------------------------------------------

    def create_sync(
        self,
        owner: str,
        name: object,
        folder: object = "",
        description: object = "",
        tags: object = (),
        interpreter: object = None,
        visibility: object = "private",
        content: object = "",
        message: str = "Created",
        adopted: FileState | None = None,
        author: str | None = None,
    ) -> ScriptInfo:
        """Create a script with its first version (by ``author``, default the owner); its
        file is written, or ``adopted``."""
        name, folder = naming.script_name(name), naming.folder(folder)
        if not isinstance(description, str) or not isinstance(content, str):
            raise InvalidInput("description and content must be strings.")
        data = self._versions.encode(content)
        script = Script(
            name=name,
            folder=folder,
            description=description,
            interpreter=naming.interpreter(interpreter),
            owner=owner,
            visibility=naming.visibility(visibility),
        )
        tag_list = naming.tags(list(tags) if isinstance(tags, tuple) else tags)
        path = self.files.path_of(folder, name)
        try:
            if adopted is None and path.exists():
                raise self._file_exists(folder, name)
            with self._store.writing() as tx:
                tx.add_script(script)
                tx.set_tags(script, tag_list)
                saved = self._versions.save_in(tx, script.id, data, author or owner, message)
                sha = adopted.sha256 if adopted is not None else self.files.write(path, data)
                tx.record_working_copy(script.id, owner, str(path), sha, saved.version.id)
                return self._info(script)
        except UniqueViolationError:
            raise Conflict(f"Folder {folder or '/'!r} already has a script {name!r}.") from None

    def get_sync(self, script_id: int, viewer: str | None) -> ScriptInfo:
        with self._store.reading() as tx:
            return self._info(self._visible(tx, script_id, viewer, allow_deleted=True))

    def _new_head(self, record: Callable[[StoreSession], SaveResult]) -> SaveResult:
        """``record`` a new head in a transaction of its own, again on top if another server
        stored the same content (or seq) first."""
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self._store.writing() as tx:
                    return record(tx)
            except UniqueViolationError:
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _write_head(self, tx: StoreSession, script: Script, user: str, path: Path) -> None:
        if path.exists():
            raise self._file_exists(script.folder, script.name)
        data = self._versions.head_content_sync(tx, script).encode("utf-8")
        sha = self.files.write(path, data)
        tx.record_working_copy(script.id, user, str(path), sha, script.head_version_id)

    # --- helpers ---------------------------------------------------------------------

    def _file_lock(self, path: Path) -> threading.Lock:
        return self._file_locks[hash(path) % len(self._file_locks)]

    def _file_exists(self, folder: str, name: str) -> Conflict:
        return Conflict(
            f"A file {self.files.api_path_of(folder, name)} already exists: "
            "rename or move it first, it is not overwritten."
        )

    @staticmethod
    def _visible(
        tx: StoreSession,
        script_id: int,
        viewer: str | None,
        allow_deleted: bool = False,
        lock: bool = False,
    ) -> Script:
        script = tx.script(script_id, lock=lock)
        hidden = script is None or (
            viewer is not None and script.visibility == "private" and script.owner != viewer
        )
        if hidden or (script is not None and script.deleted_at is not None and not allow_deleted):
            raise NotFound(f"There is no script {script_id}.")
        assert script is not None
        return script

    # --- async faces -----------------------------------------------------------------

    async def create(self, actor: Actor, new: NewScript, author: str | None = None) -> ScriptInfo:
        """A new script owned by the actor (who needs the write right)."""
        actor.require(Right.WRITE)
        return await run_blocking(
            partial(self.create_sync, actor.name, author=author, **dataclasses.asdict(new))
        )

    async def get(self, script_id: int, viewer: str | None) -> ScriptInfo:
        return await run_blocking(self.get_sync, script_id, viewer)

    async def version_of(
        self, script_id: int, version_id: int | None, viewer: str
    ) -> tuple[ScriptInfo, VersionInfo, str]:
        """The script, its version ``version_id`` (its head if None) and that version's
        content, for a viewer who may see them; 404 otherwise."""
        script = await self.get(script_id, viewer)
        wanted = version_id if version_id is not None else script.head_version_id
        if wanted is None:
            raise NotFound("The script has no version yet.")
        version, content = await self._versions.get(wanted, viewer=viewer)
        if version.script_id != script_id:
            raise NotFound(f"Version {wanted} is not a version of script {script_id}.")
        return script, version, content

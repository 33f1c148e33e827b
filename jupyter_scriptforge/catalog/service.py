"""CatalogService: scripts, their folders and tags, search, and their working copies."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .._async import run_blocking
from ..db.models import Script
from ..db.store import (
    ScriptFilter,
    SearchDocument,
    Store,
    StoreSession,
    UniqueViolationError,
)
from ..db.types import utcnow
from ..errors import Conflict, InvalidInput, NotFound, ScriptForgeError
from ..versions.service import SaveResult, VersionService
from . import naming
from .workingcopy import FileState, WorkingCopies

log = logging.getLogger(__name__)

MAX_PAGE = 200

# (folder or tag, how many scripts)
Counts = list[tuple[str, int]]
_INDEX_BATCH = 500
# A save that lost a race with another server's (same seq or blob) is tried again on top.
_SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class ScriptInfo:
    id: int
    name: str
    folder: str
    path: str
    description: str
    tags: tuple[str, ...]
    interpreter: str | None
    owner: str
    visibility: str
    head_version_id: int | None
    published_version_id: int | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "folder": self.folder,
            "path": self.path,
            "description": self.description,
            "tags": list(self.tags),
            "interpreter": self.interpreter,
            "owner": self.owner,
            "visibility": self.visibility,
            "head_version_id": self.head_version_id,
            "published_version_id": self.published_version_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "deleted_at": self.deleted_at.isoformat() if self.deleted_at else None,
        }


@dataclass(frozen=True)
class Page:
    items: list[ScriptInfo]
    next_cursor: str | None


class CatalogService:
    """Every ``_sync`` method blocks; ``await`` the async face of the same name instead."""

    def __init__(self, store: Store, versions: VersionService, files: WorkingCopies) -> None:
        self._store = store
        self._versions = versions
        self.files = files
        # A working copy is read-and-snapshotted or rewritten one call at a time.
        self._file_locks = [threading.Lock() for _ in range(64)]
        # Told (on the event loop) of each new head saved or restored through the API.
        self._head_listeners: list[Callable[[int, str], None]] = []

    def on_head_moved(self, listener: Callable[[int, str], None]) -> None:
        """Call ``listener(script_id, user)`` after each new version ``save_version`` or
        ``restore_version`` records (the working copy and the search index follow it)."""
        self._head_listeners.append(listener)

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

    # --- create, read, list ----------------------------------------------------------

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

    def list_sync(
        self,
        viewer: str | None,
        folder: str | None = None,
        tag: str | None = None,
        owner: str | None = None,
        text: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
        include_deleted: bool = False,
        path: str | None = None,
    ) -> Page:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit is between 1 and {MAX_PAGE}.")
        name = None
        if path is not None:
            place = self._place_of(path)
            if place is None:
                return Page([], None)
            folder, name = place
        if text:
            self.refresh_index_sync()
        where = ScriptFilter(
            folder=naming.folder(folder) if folder is not None else None,
            name=name,
            tag=tag.strip().lower() if tag else None,
            owner=owner or None,
            text=text.strip() if text else None,
            viewer=viewer,
            include_deleted=include_deleted,
        )
        with self._store.reading() as tx:
            rows = tx.list_scripts(where, limit + 1, _decode_cursor(cursor))
            items = [self._info(script) for script in rows[:limit]]
        next_cursor = _encode_cursor(items[-1]) if len(rows) > limit else None
        return Page(items, next_cursor)

    def _place_of(self, path: str) -> tuple[str, str] | None:
        """(folder, name) of the working copy at ``path`` (relative to the server root)."""
        relative = PurePosixPath(path.strip().lstrip("/"))
        if ".." in relative.parts:
            return None
        return self.files.locate(self.files.root_dir / relative)

    def folders_sync(self, viewer: str | None) -> Counts:
        with self._store.reading() as tx:
            return tx.folder_counts(viewer)

    def tags_sync(self, viewer: str | None) -> Counts:
        with self._store.reading() as tx:
            return tx.tag_counts(viewer)

    # --- change ----------------------------------------------------------------------

    def update_sync(self, script_id: int, viewer: str, changes: dict[str, Any]) -> ScriptInfo:
        allowed = {"name", "folder", "description", "tags", "interpreter", "visibility", "deleted"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        if "deleted" in changes and changes["deleted"] is not False:
            raise InvalidInput('Use DELETE to delete; "deleted": false restores a script.')
        moved: tuple[Path, Path] | None = None
        try:
            with self._store.writing() as tx:
                script = self._visible(tx, script_id, viewer, allow_deleted=True, lock=True)
                undelete = changes.get("deleted") is False and script.deleted_at is not None
                if script.deleted_at is not None and not undelete:
                    raise NotFound(f"Script {script_id} is deleted; restore it first.")
                old_path = self.files.path_of(script.folder, script.name)
                self._apply(tx, script, changes)
                new_path = self.files.path_of(script.folder, script.name)
                if undelete:
                    script.deleted_at = None
                    self._write_head(tx, script, viewer, new_path)
                elif new_path != old_path:
                    if new_path.exists():
                        raise self._file_exists(script.folder, script.name)
                    if self.files.move(old_path, new_path):
                        moved = (new_path, old_path)
                tx.touch(script)
                script.indexed_version_id = None  # name or description may have changed
                return self._info(script)
        except UniqueViolationError:
            if moved:
                self.files.move(*moved)
            raise Conflict("That folder already has a script of that name.") from None
        except BaseException:
            if moved:
                self.files.move(*moved)
            raise

    def _apply(self, tx: StoreSession, script: Script, changes: dict[str, Any]) -> None:
        if "name" in changes:
            script.name = naming.script_name(changes["name"])
        if "folder" in changes:
            script.folder = naming.folder(changes["folder"])
        if "description" in changes:
            if not isinstance(changes["description"], str):
                raise InvalidInput("description must be a string.")
            script.description = changes["description"]
        if "tags" in changes:
            tx.set_tags(script, naming.tags(changes["tags"]))
        if "interpreter" in changes:
            script.interpreter = naming.interpreter(changes["interpreter"])
        if "visibility" in changes:
            script.visibility = naming.visibility(changes["visibility"])

    def delete_sync(self, script_id: int, viewer: str) -> ScriptInfo:
        """Soft delete: the history stays and ``PATCH {"deleted": false}`` restores it."""
        self._capture_edits(script_id, viewer)
        with self._store.writing() as tx:
            script = self._visible(tx, script_id, viewer, lock=True)
            script.deleted_at = utcnow()
            tx.touch(script)
            tx.drop_index(script.id)
            path = self.files.path_of(script.folder, script.name)
            head = tx.head(script.id)
            saved = {tx.working_copy_sha(script.id, viewer), head.sha256 if head else None}
            info = self._info(script)
        # Its content is safe in the store, and a file left behind would be adopted again.
        # A file the store could not take (not UTF-8, too large) stays: it is the user's.
        state = self.files.read(path)
        if state is not None and state.sha256 in saved - {None}:
            self.files.remove(path)
        return info

    # --- working copies --------------------------------------------------------------

    def open_sync(self, script_id: int, user: str) -> ScriptInfo:
        """Make the working copy ready to edit and return the script (with its path).

        Edits made to the file outside Jupyter are snapshotted first, never overwritten.
        A team script whose file is missing or older than the published version gets the
        published content; any other missing file gets the head content.
        """
        self._capture_edits(script_id, user)
        with self._store.writing() as tx:
            script = self._visible(tx, script_id, user)
            path = self.files.path_of(script.folder, script.name)
            current = self.files.read(path)
            published = (
                tx.version(script.published_version_id)
                if script.visibility == "team" and script.published_version_id
                else None
            )
            if published is not None:
                on_disk = (
                    tx.version_with_content_hash(script.id, current.sha256) if current else None
                )
                if current is None or (on_disk is not None and on_disk.seq < published.seq):
                    data = self._versions.content_of_blob_sync(
                        tx, published.blob_id, published.blob.sha256
                    )
                    sha = self.files.write(path, data)
                    tx.record_working_copy(script.id, user, str(path), sha, published.id)
            elif current is None:
                self._write_head(tx, script, user, path)
            return self._info(script)

    def sync_file_sync(self, os_path: str | Path, user: str, message: str) -> ScriptInfo | None:
        """Snapshot a working copy whose content is new; adopt a ``.py`` file not yet known.

        → the script when a version was recorded, None when there was nothing new.
        """
        located = self.files.locate(os_path)
        if located is None:
            return None
        path = self.files.path_of(*located)
        with self._file_lock(path):
            return self._sync_file(*located, path, user, message)

    def _sync_file(
        self, folder: str, name: str, path: Path, user: str, message: str
    ) -> ScriptInfo | None:
        state = self.files.read(path)
        if state is None:
            return None
        try:
            content = state.data.decode("utf-8")
            self._versions.encode(content)
        except (UnicodeDecodeError, ScriptForgeError) as error:
            log.warning("ScriptForge ignores %s: %s", path, error)
            return None
        with self._store.reading() as tx:
            known = tx.live_script_at(folder, name)
            script_id = known.id if known is not None else None
            # A teammate deleted the script; this server still has its untouched copy.
            leftover = tx.is_leftover_copy(folder, name, user, state.sha256)
        if script_id is None:
            if leftover:
                return None
            try:
                return self.create_sync(
                    user, name, folder, content=content, message="Adopted", adopted=state
                )
            except Conflict:
                return None  # adopted by someone else in the meantime
        with self._store.writing() as tx:
            script = tx.script(script_id, lock=True)
            if script is None or script.deleted_at is not None:
                return None
            if script.visibility == "private" and script.owner != user:
                log.warning("ScriptForge: %s belongs to %s's private script", path, script.owner)
                return None
            known_sha = tx.working_copy_sha(script.id, user)
            if known_sha == state.sha256:
                return None  # untouched since we last read or wrote it
            if known_sha is None and leftover:
                return None  # the old script's copy, not an edit of the new one of that name
            saved = self._versions.save_in(tx, script.id, state.data, user, message)
            tx.record_working_copy(script.id, user, str(path), state.sha256, saved.version.id)
            return self._info(script) if saved.created else None

    # --- new versions from the API ---------------------------------------------------

    def save_version_sync(
        self,
        script_id: int,
        content: str,
        user: str,
        message: str = "",
        base_version_id: int | None = None,
        author: str | None = None,
    ) -> SaveResult:
        """Save through the API. Then call ``follow_head_sync`` to update the working copy.

        ``author`` defaults to ``user``, who must be allowed to see the script either way."""
        data = self._versions.encode(content)
        return self._new_head(
            lambda tx: self._versions.save_in(
                tx,
                script_id,
                data,
                author or user,
                message,
                base_version_id=base_version_id,
                viewer=user,
            )
        )

    def restore_version_sync(self, script_id: int, version_id: int, user: str) -> SaveResult:
        return self._new_head(
            lambda tx: self._versions.restore_in(tx, script_id, version_id, user, viewer=user)
        )

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

    def follow_head_sync(self, script_id: int, user: str) -> bool:
        """Bring the user's working copy to the head, unless it holds edits of its own.

        Safe to call late, twice or out of order: it looks at the head and the file as they
        are now, one call per file at a time. → whether the file was rewritten.
        """
        with self._store.reading() as tx:
            head = tx.head(script_id, user=user)
            if head is None or head.deleted or head.copy_sha256 is None:
                return False
            if head.blob_id is None or head.sha256 is None:
                return False
            path = self.files.path_of(head.folder, head.name)
            data = self._versions.content_of_blob_sync(tx, head.blob_id, head.sha256)
        with self._file_lock(path):
            # Rewrite only a file that still holds exactly what we last wrote or read: an
            # edit saved meanwhile (or a file removed) is the user's and stays as it is.
            if not self.files.replace_if_unchanged(path, head.copy_sha256, data):
                return False
            with self._store.writing() as tx:
                tx.record_working_copy(script_id, user, str(path), head.sha256, head.version_id)
            return True

    def scan_sync(self, user: str) -> int:
        """Snapshot every working copy edited outside Jupyter; adopt new files. → changes."""
        synced = (
            self.sync_file_sync(path, user, "Edited outside Jupyter")
            for path in self.files.all_files()
        )
        return sum(info is not None for info in synced)

    def snapshot_working_copy_sync(self, script_id: int, user: str, message: str) -> ScriptInfo:
        """Record the user's working copy as a version if it holds unsaved edits.

        → the script, whose head is then the working copy's content.
        """
        with self._store.reading() as tx:
            script = self._visible(tx, script_id, user)
            path = self.files.path_of(script.folder, script.name)
        self.sync_file_sync(path, user, message)
        return self.get_sync(script_id, user)

    def _capture_edits(self, script_id: int, user: str) -> None:
        with self._store.reading() as tx:
            script = self._visible(tx, script_id, user, allow_deleted=True)
            path = self.files.path_of(script.folder, script.name)
            deleted = script.deleted_at is not None
        if not deleted:
            self.sync_file_sync(path, user, "Edited outside Jupyter")

    def _write_head(self, tx: StoreSession, script: Script, user: str, path: Path) -> None:
        if path.exists():
            raise self._file_exists(script.folder, script.name)
        data = self._versions.head_content_sync(tx, script).encode("utf-8")
        sha = self.files.write(path, data)
        tx.record_working_copy(script.id, user, str(path), sha, script.head_version_id)

    # --- search index ----------------------------------------------------------------

    def refresh_index_sync(self) -> int:
        """Bring the search index up to the head versions; → scripts reindexed.

        Contents are read and split into words outside the write lock, which is then
        held only for the index rows themselves.
        """
        done = 0
        while True:
            with self._store.reading() as tx:
                stale = tx.stale_index_entries(_INDEX_BATCH)
                pending = []
                for script_id, head_id, was_indexed in stale:
                    script = tx.script(script_id)
                    if script is not None:
                        content = self._versions.head_content_sync(tx, script)
                        pending.append((script, head_id, was_indexed, content))
            documents = [
                (
                    script.id,
                    head_id,
                    was_indexed,
                    SearchDocument.of(script.name, script.description, content),
                )
                for script, head_id, was_indexed, content in pending
            ]
            if documents:
                with self._store.writing() as tx:
                    done += sum(tx.write_index(*document) for document in documents)
            if len(stale) < _INDEX_BATCH:
                return done

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

    async def create(self, owner: str, **fields: Any) -> ScriptInfo:
        return await run_blocking(self.create_sync, owner, **fields)

    async def get(self, script_id: int, viewer: str | None) -> ScriptInfo:
        return await run_blocking(self.get_sync, script_id, viewer)

    async def list(self, viewer: str | None, **filters: Any) -> Page:
        return await run_blocking(self.list_sync, viewer, **filters)

    async def folders(self, viewer: str | None) -> Counts:
        return await run_blocking(self.folders_sync, viewer)

    async def tags(self, viewer: str | None) -> Counts:
        return await run_blocking(self.tags_sync, viewer)

    async def update(self, script_id: int, viewer: str, changes: dict[str, Any]) -> ScriptInfo:
        return await run_blocking(self.update_sync, script_id, viewer, changes)

    async def delete(self, script_id: int, viewer: str) -> ScriptInfo:
        return await run_blocking(self.delete_sync, script_id, viewer)

    async def open(self, script_id: int, user: str) -> ScriptInfo:
        return await run_blocking(self.open_sync, script_id, user)

    async def save_version(
        self,
        script_id: int,
        content: str,
        user: str,
        message: str = "",
        base_version_id: int | None = None,
        author: str | None = None,
    ) -> SaveResult:
        saved = await run_blocking(
            self.save_version_sync, script_id, content, user, message, base_version_id, author
        )
        return self._head_moved(saved, script_id, user)

    async def restore_version(self, script_id: int, version_id: int, user: str) -> SaveResult:
        saved = await run_blocking(self.restore_version_sync, script_id, version_id, user)
        return self._head_moved(saved, script_id, user)

    async def follow_head(self, script_id: int, user: str) -> bool:
        return await run_blocking(self.follow_head_sync, script_id, user)

    async def sync_file(self, os_path: str, user: str, message: str) -> ScriptInfo | None:
        return await run_blocking(self.sync_file_sync, os_path, user, message)

    async def scan(self, user: str) -> int:
        return await run_blocking(self.scan_sync, user)

    async def refresh_index(self) -> int:
        return await run_blocking(self.refresh_index_sync)


def _encode_cursor(last: ScriptInfo) -> str:
    raw = json.dumps([last.folder, last.name, last.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> tuple[str, str, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        folder, name, script_id = json.loads(raw)
        valid = (
            isinstance(folder, str)
            and isinstance(name, str)
            and type(script_id) is int
            and 0 < script_id < 2**31
            and "\x00" not in folder + name
        )
        if not valid:
            raise ValueError
        (folder + name).encode("utf-8")
    except (ValueError, binascii.Error, TypeError, UnicodeEncodeError):
        raise InvalidInput("The cursor is not one this server gave out.") from None
    return folder, name, script_id

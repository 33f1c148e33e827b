"""CatalogService: scripts, their folders and tags, search, changes and new versions through
the API; with the working copies (``copies``) and what all of it stands on (``core``)."""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from typing import Any

from .._async import run_blocking
from ..db.models import Script
from ..db.store import ScriptFilter, SearchDocument, StoreSession, UniqueViolationError
from ..db.types import utcnow
from ..errors import Conflict, InvalidInput, NotFound
from ..rights import Actor, Right, require_owner_or_admin
from ..versions.service import SaveResult
from . import naming
from .copies import WorkingCopySync
from .info import Counts, Page, ScriptInfo, decode_cursor, encode_cursor
from .script_requests import GOVERNING_FIELDS, ScriptChanges

log = logging.getLogger(__name__)

MAX_PAGE = 200
_INDEX_BATCH = 500

__all__ = ["CatalogService", "Counts", "Page", "ScriptInfo"]


class CatalogService(WorkingCopySync):
    """Every ``_sync`` method blocks; ``await`` the async face of the same name instead."""

    # --- list ------------------------------------------------------------------------

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
            rows = tx.list_scripts(where, limit + 1, decode_cursor(cursor))
            items = [self._info(script) for script in rows[:limit]]
        next_cursor = encode_cursor(items[-1]) if len(rows) > limit else None
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

    def update_sync(self, script_id: int, actor: Actor, changes: ScriptChanges) -> ScriptInfo:
        actor.require(Right.WRITE)
        viewer = actor.name
        moved: tuple[Path, Path] | None = None
        try:
            with self._store.writing() as tx:
                script = self._visible(tx, script_id, viewer, allow_deleted=True, lock=True)
                if GOVERNING_FIELDS & changes.fields.keys() or changes.undelete:
                    require_owner_or_admin(actor, script.owner, script.name)
                undelete = changes.undelete and script.deleted_at is not None
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

    def _apply(self, tx: StoreSession, script: Script, changes: ScriptChanges) -> None:
        for column, value in changes.fields.items():
            if column == "tags":
                tx.set_tags(script, value)
            else:
                setattr(script, column, value)

    def delete_sync(self, script_id: int, actor: Actor) -> ScriptInfo:
        """Soft delete: the history stays and ``PATCH {"deleted": false}`` restores it."""
        actor.require(Right.WRITE)
        viewer = actor.name
        with self._store.reading() as tx:
            found = self._visible(tx, script_id, viewer)
            require_owner_or_admin(actor, found.owner, found.name)
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

    # --- new versions from the API ---------------------------------------------------

    def save_version_sync(
        self,
        script_id: int,
        content: str,
        actor: Actor,
        message: str = "",
        base_version_id: int | None = None,
        author: str | None = None,
        even_if_unchanged: bool = False,
    ) -> SaveResult:
        """Save through the API. Then call ``follow_head_sync`` to update the working copy.

        ``author`` defaults to the actor, who must be allowed to see and change the script
        either way."""
        actor.require(Right.WRITE)
        user = actor.name
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
                even_if_unchanged=even_if_unchanged,
            )
        )

    def repeat_head_sync(self, script_id: int, actor: Actor, message: str) -> SaveResult:
        """A new version with the head's content (what is recorded with a version, such as
        its dependencies' pins, starts afresh); 409 if the head moved meanwhile."""
        script = self.get_sync(script_id, actor.name)
        if script.head_version_id is None:
            raise NotFound("The script has no version yet.")
        _, content = self._versions.get_sync(script.head_version_id)
        return self.save_version_sync(
            script_id,
            content,
            actor,
            message,
            base_version_id=script.head_version_id,
            even_if_unchanged=True,
        )

    def restore_version_sync(self, script_id: int, version_id: int, actor: Actor) -> SaveResult:
        actor.require(Right.WRITE)
        user = actor.name
        return self._new_head(
            lambda tx: self._versions.restore_in(tx, script_id, version_id, user, viewer=user)
        )

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

    # --- async faces -----------------------------------------------------------------

    async def list(self, viewer: str | None, **filters: Any) -> Page:
        return await run_blocking(self.list_sync, viewer, **filters)

    async def folders(self, viewer: str | None) -> Counts:
        return await run_blocking(self.folders_sync, viewer)

    async def tags(self, viewer: str | None) -> Counts:
        return await run_blocking(self.tags_sync, viewer)

    async def update(self, script_id: int, actor: Actor, changes: ScriptChanges) -> ScriptInfo:
        info = await run_blocking(self.update_sync, script_id, actor, changes)
        return self._script_changed(info)

    async def delete(self, script_id: int, actor: Actor) -> ScriptInfo:
        return await run_blocking(self.delete_sync, script_id, actor)

    async def save_version(
        self,
        script_id: int,
        content: str,
        actor: Actor,
        message: str = "",
        base_version_id: int | None = None,
        author: str | None = None,
    ) -> SaveResult:
        saved = await run_blocking(
            self.save_version_sync, script_id, content, actor, message, base_version_id, author
        )
        return self._head_moved(saved, script_id, actor.name)

    async def repeat_head(self, script_id: int, actor: Actor, message: str) -> SaveResult:
        saved = await run_blocking(self.repeat_head_sync, script_id, actor, message)
        return self._head_moved(saved, script_id, actor.name)

    async def restore_version(self, script_id: int, version_id: int, actor: Actor) -> SaveResult:
        saved = await run_blocking(self.restore_version_sync, script_id, version_id, actor)
        return self._head_moved(saved, script_id, actor.name)

    async def refresh_index(self) -> int:
        return await run_blocking(self.refresh_index_sync)

"""The catalog's side of the working copies: a script's file made ready to edit, edits made
to it (in Jupyter or outside) recorded as versions, new ``.py`` files adopted, and the file
following a new head saved through the API unless it holds edits of its own."""

from __future__ import annotations

import logging
from pathlib import Path

from .._async import run_blocking
from ..errors import Conflict, ScriptForgeError
from .core import CatalogCore
from .info import ScriptInfo

log = logging.getLogger(__name__)


class WorkingCopySync(CatalogCore):
    """The working-copy half of ``CatalogService``."""

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

    # --- async faces -----------------------------------------------------------------

    async def open(self, script_id: int, user: str) -> ScriptInfo:
        return await run_blocking(self.open_sync, script_id, user)

    async def follow_head(self, script_id: int, user: str) -> bool:
        return await run_blocking(self.follow_head_sync, script_id, user)

    async def sync_file(self, os_path: str, user: str, message: str) -> ScriptInfo | None:
        return await run_blocking(self.sync_file_sync, os_path, user, message)

    async def scan(self, user: str) -> int:
        return await run_blocking(self.scan_sync, user)

"""VersionService: immutable snapshots, history, diff, restore, labels and publish."""

from __future__ import annotations

import enum
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .._async import run_blocking
from ..db.models import Script, Version
from ..db.store import Head, Store, StoreSession, UniqueViolationError
from ..db.types import utcnow
from ..errors import Conflict, InvalidInput, NotFound, TooLarge
from ..rights import Actor, Right
from . import compression
from .diff import unified_diff

_LABEL = re.compile(r"^[\w][\w.\-+ ]{0,99}$")
# Up to this many deltas are applied in Python on top of a cached content; past that,
# zstd decodes the whole chain from its full copy faster.
_CACHED_START_STEPS = 8


@dataclass(frozen=True)
class VersionInfo:
    id: int
    script_id: int
    seq: int
    sha256: str
    size: int
    parent_id: int | None
    restored_from_id: int | None
    author: str
    created_at: datetime
    message: str
    labels: tuple[str, ...]

    @classmethod
    def of(cls, version: Version) -> VersionInfo:
        return cls(
            id=version.id,
            script_id=version.script_id,
            seq=version.seq,
            sha256=version.blob.sha256.hex(),
            size=version.blob.size,
            parent_id=version.parent_id,
            restored_from_id=version.restored_from_id,
            author=version.author,
            created_at=version.created_at,
            message=version.message,
            labels=tuple(label.label for label in version.labels),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "script_id": self.script_id,
            "seq": self.seq,
            "sha256": self.sha256,
            "size": self.size,
            "parent_id": self.parent_id,
            "restored_from_id": self.restored_from_id,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "message": self.message,
            "labels": list(self.labels),
        }


class Unchecked(enum.Enum):
    """A publish that does not compare the published version with what the caller saw."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED


@dataclass(frozen=True)
class SaveResult:
    version: VersionInfo
    created: bool  # False when the content equalled the head: nothing new was stored
    script: Head  # the script as it was before this save


class ContentCache:
    """Recently read contents by sha256, bounded in bytes; saves delta against the head.

    Keyed by the hash, not the row id: an entry stays true even if the transaction that
    made it rolls back and the id is given to other content.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._items: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: bytes) -> bytes | None:
        with self._lock:
            content = self._items.get(sha256)
            if content is not None:
                self._items.move_to_end(sha256)
            return content

    def put(self, sha256: bytes, content: bytes) -> None:
        if len(content) > self._max_bytes:
            return
        with self._lock:
            if sha256 in self._items:
                return
            self._items[sha256] = content
            self._bytes += len(content)
            while self._bytes > self._max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= len(evicted)


class VersionService:
    """Every method with a ``_sync`` suffix blocks; the async ones run it off the event loop."""

    def __init__(
        self, store: Store, max_script_bytes: int = 1 << 20, cache_bytes: int = 64 << 20
    ) -> None:
        self._store = store
        self.max_script_bytes = max_script_bytes
        self._cache = ContentCache(cache_bytes)

    # --- saving ----------------------------------------------------------------------

    def encode(self, content: str) -> bytes:
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("The content is not valid Unicode text.") from None
        if len(data) > self.max_script_bytes:
            raise TooLarge(
                f"The script is {len(data):,} bytes; the limit is {self.max_script_bytes:,}.",
                size=len(data),
                limit=self.max_script_bytes,
            )
        return data

    def save_in(
        self,
        tx: StoreSession,
        script_id: int,
        data: bytes,
        author: str,
        message: str = "",
        base_version_id: int | None = None,
        restored_from_id: int | None = None,
        viewer: str | None = None,
        even_if_unchanged: bool = False,
    ) -> SaveResult:
        """Record ``data`` as the script's new head inside the caller's transaction.

        ``viewer``, when given, must be allowed to see the script (not someone else's
        private one). The head's own content makes no new version, unless
        ``even_if_unchanged`` (a version whose dependencies are resolved again).
        """
        head = tx.head(script_id, lock=True, user=viewer)
        hidden = head is not None and (
            viewer is not None and head.visibility == "private" and head.owner != viewer
        )
        if head is None or head.deleted or hidden:
            raise NotFound(f"There is no script {script_id}.")
        if base_version_id is not None and base_version_id != head.version_id:
            base = tx.version(base_version_id)
            raise Conflict(
                "The script changed since the version this edit started from.",
                base=VersionInfo.of(base).to_json()
                if base and base.script_id == script_id
                else None,
                head=self._info_of(tx, head.version_id),
            )
        sha256 = hashlib.sha256(data).digest()
        if head.sha256 == sha256 and restored_from_id is None and not even_if_unchanged:
            existing = tx.version(head.version_id) if head.version_id else None
            assert existing is not None
            return SaveResult(VersionInfo.of(existing), created=False, script=head)
        blob_id = self._store_blob(tx, data, sha256, head)
        created_at = utcnow()
        values = {
            "script_id": script_id,
            "seq": head.seq + 1,
            "blob_id": blob_id,
            "parent_id": head.version_id,
            "restored_from_id": restored_from_id,
            "author": author,
            "created_at": created_at,
            "message": message,
        }
        version_id = tx.insert_version(**values)
        tx.set_head(script_id, version_id, created_at)
        info = VersionInfo(
            id=version_id,
            script_id=script_id,
            seq=head.seq + 1,
            sha256=sha256.hex(),
            size=len(data),
            parent_id=head.version_id,
            restored_from_id=restored_from_id,
            author=author,
            created_at=created_at,
            message=message,
            labels=(),
        )
        return SaveResult(info, created=True, script=head)

    def _store_blob(self, tx: StoreSession, data: bytes, sha256: bytes, head: Head) -> int:
        """The blob of ``data``: a new one (a delta on the head if it can be) or the same."""
        if head.blob_id is not None and head.depth < compression.MAX_CHAIN_DEPTH:
            assert head.sha256 is not None
            base = self._content(tx, head.blob_id, head.sha256)
            packed = compression.compress_delta(base, data)
            blob_id = tx.insert_blob(sha256, len(data), head.blob_id, head.depth + 1, packed)
        else:
            blob_id = tx.insert_blob(sha256, len(data), None, 0, compression.compress_full(data))
        self._cache.put(sha256, data)
        return blob_id

    # --- reading ---------------------------------------------------------------------

    def content_of_blob_sync(self, tx: StoreSession, blob_id: int, sha256: bytes) -> bytes:
        return self._content(tx, blob_id, sha256)

    def _content(self, tx: StoreSession, blob_id: int, sha256: bytes) -> bytes:
        cached = self._cache.get(sha256)
        if cached is not None:
            return cached
        chain = tx.blob_chain(blob_id)
        if not chain:
            raise NotFound(f"Content {blob_id} is missing from the store.")
        content = None
        for steps, link in enumerate(chain[:_CACHED_START_STEPS]):
            content = self._cache.get(link.sha256)
            if content is not None:
                # A few deltas on top of a cached version (a save's base is the head).
                for newer in reversed(chain[:steps]):
                    content = compression.decompress(newer.data, content)
                break
        if content is None:
            content = compression.decompress_chain([link.data for link in reversed(chain)])
        self._cache.put(sha256, content)
        return content

    def get_sync(self, version_id: int, viewer: str | None = None) -> tuple[VersionInfo, str]:
        with self._store.reading() as tx:
            version = tx.version(version_id)
            if version is None:
                raise NotFound(f"There is no version {version_id}.")
            _live_script(tx, version.script_id, allow_deleted=True, viewer=viewer)
            return VersionInfo.of(version), self._text(
                self._content(tx, version.blob_id, version.blob.sha256)
            )

    def head_content_sync(self, tx: StoreSession, script: Script) -> str:
        if script.head_version_id is None:
            return ""
        version = tx.version(script.head_version_id)
        assert version is not None
        return self._text(self._content(tx, version.blob_id, version.blob.sha256))

    def history_sync(
        self,
        script_id: int,
        limit: int = 100,
        before_seq: int | None = None,
        viewer: str | None = None,
    ) -> list[VersionInfo]:
        with self._store.reading() as tx:
            _live_script(tx, script_id, allow_deleted=True, viewer=viewer)
            return [VersionInfo.of(v) for v in tx.versions(script_id, limit, before_seq)]

    def diff_sync(
        self,
        script_id: int,
        from_id: int,
        to_id: int,
        context: int = 3,
        viewer: str | None = None,
    ) -> str:
        with self._store.reading() as tx:
            _live_script(tx, script_id, allow_deleted=True, viewer=viewer)
            old, new = (_version_of(tx, script_id, vid) for vid in (from_id, to_id))
            return unified_diff(
                self._text(self._content(tx, old.blob_id, old.blob.sha256)),
                self._text(self._content(tx, new.blob_id, new.blob.sha256)),
                f"v{old.seq}",
                f"v{new.seq}",
                context,
            )

    # --- restore, labels, publish ----------------------------------------------------

    def restore_in(
        self,
        tx: StoreSession,
        script_id: int,
        version_id: int,
        author: str,
        viewer: str | None = None,
    ) -> SaveResult:
        """A new head with an old version's content: history only ever grows."""
        old = _version_of(tx, script_id, version_id)
        data = self._content(tx, old.blob_id, old.blob.sha256)
        return self.save_in(
            tx,
            script_id,
            data,
            author,
            f"Restore v{old.seq}",
            restored_from_id=old.id,
            viewer=viewer,
        )

    def label_sync(self, version_id: int, label: str, actor: Actor) -> VersionInfo:
        actor.require(Right.WRITE)
        label = label.strip()
        if not _LABEL.match(label):
            raise InvalidInput(
                "A label is 1-100 letters, digits, spaces or . _ - +, starting with a letter "
                "or digit."
            )
        try:
            with self._store.writing() as tx:
                version = tx.version(version_id)
                if version is None:
                    raise NotFound(f"There is no version {version_id}.")
                _live_script(tx, version.script_id, viewer=actor.name)
                if label not in {existing.label for existing in version.labels}:
                    tx.add_label(version, label)
                return VersionInfo.of(version)
        except UniqueViolationError:
            raise Conflict(f"The label {label!r} is already on another version.") from None

    def unlabel_sync(self, version_id: int, label: str, actor: Actor) -> VersionInfo:
        actor.require(Right.WRITE)
        with self._store.writing() as tx:
            version = tx.version(version_id)
            if version is None:
                raise NotFound(f"There is no version {version_id}.")
            _live_script(tx, version.script_id, viewer=actor.name)
            if not tx.remove_label(version, label):
                raise NotFound(f"Version {version_id} has no label {label!r}.")
            return VersionInfo.of(version)

    def publish_sync(
        self,
        script_id: int,
        version_id: int,
        actor: Actor,
        base_version_id: int | Unchecked | None = UNCHECKED,
    ) -> tuple[int | None, VersionInfo]:
        """Point the script's published version at ``version_id``.

        ``base_version_id`` is the published version the caller saw (None: none was);
        if another publish came first, nothing changes and Conflict carries both
        versions. Left out, the publish replaces whatever is published.
        """
        actor.require(Right.WRITE)
        with self._store.writing() as tx:
            script = _live_script(tx, script_id, lock=True, viewer=actor.name)
            target = _version_of(tx, script_id, version_id)
            current = script.published_version_id
            expected = current if isinstance(base_version_id, Unchecked) else base_version_id
            if not tx.publish(script_id, version_id, expected):
                raise Conflict(
                    "Someone published another version since you looked.",
                    published=self._info_of(tx, current),
                    requested=VersionInfo.of(target).to_json(),
                )
            return current, VersionInfo.of(target)

    # --- async faces -----------------------------------------------------------------

    # ``viewer``: the user reading, who must be allowed to see the script (not someone
    # else's private one: 404); None for the server's own reads. ``actor``: the user
    # changing it, who must see it and hold the write right (403).

    async def get(self, version_id: int, viewer: str | None = None) -> tuple[VersionInfo, str]:
        return await run_blocking(self.get_sync, version_id, viewer)

    async def history(
        self,
        script_id: int,
        limit: int = 100,
        before_seq: int | None = None,
        viewer: str | None = None,
    ) -> list[VersionInfo]:
        return await run_blocking(self.history_sync, script_id, limit, before_seq, viewer)

    async def diff(
        self, script_id: int, from_id: int, to_id: int, context: int = 3, viewer: str | None = None
    ) -> str:
        return await run_blocking(self.diff_sync, script_id, from_id, to_id, context, viewer)

    async def label(self, version_id: int, label: str, actor: Actor) -> VersionInfo:
        return await run_blocking(self.label_sync, version_id, label, actor)

    async def unlabel(self, version_id: int, label: str, actor: Actor) -> VersionInfo:
        return await run_blocking(self.unlabel_sync, version_id, label, actor)

    async def publish(
        self,
        script_id: int,
        version_id: int,
        actor: Actor,
        base_version_id: int | Unchecked | None = UNCHECKED,
    ) -> tuple[int | None, VersionInfo]:
        return await run_blocking(self.publish_sync, script_id, version_id, actor, base_version_id)

    # --- helpers ---------------------------------------------------------------------

    @staticmethod
    def _text(data: bytes) -> str:
        return data.decode("utf-8")

    @staticmethod
    def _info_of(tx: StoreSession, version_id: int | None) -> dict[str, Any] | None:
        version = tx.version(version_id) if version_id is not None else None
        return VersionInfo.of(version).to_json() if version else None


def _live_script(
    tx: StoreSession,
    script_id: int,
    lock: bool = False,
    allow_deleted: bool = False,
    viewer: str | None = None,
) -> Script:
    """The script, if it exists (and is not deleted, unless allowed) and ``viewer`` may see
    it: anyone a team script, only its owner a private one; else NotFound."""
    script = tx.script(script_id, lock=lock)
    hidden = script is not None and (
        viewer is not None and script.visibility == "private" and script.owner != viewer
    )
    if script is None or hidden or (script.deleted_at is not None and not allow_deleted):
        raise NotFound(f"There is no script {script_id}.")
    return script


def _version_of(tx: StoreSession, script_id: int, version_id: int) -> Version:
    version = tx.version(version_id)
    if version is None or version.script_id != script_id:
        raise NotFound(f"Script {script_id} has no version {version_id}.")
    return version

"""The store: every SQL statement of ScriptForge lives here.

Services open a transaction with ``Store.reading()`` or ``Store.writing()`` and call the
methods of the ``StoreSession`` they get. Everything here blocks: services call it from a
worker thread, never from the event loop.

Longer than most modules on purpose: one transaction's session holds the statements on
scripts, their search index, versions and working copies together, so that what one
transaction may do is read in one place (runs, the audit and holds have stores of their own:
``run_store``, ``audit_store``, ``hold_store``).
"""

from __future__ import annotations

import contextlib
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from .engine import for_writing
from .models import Blob, Script, ScriptTag, Version, VersionLabel, WorkingCopy
from .types import utcnow

# Letters and digits: "read_csv(path.name)" is the words read, csv, path, name. The text is
# split here, identically for both databases, before either of their parsers sees it.
_BLOBS = cast(Table, Blob.__table__)
_VERSIONS = cast(Table, Version.__table__)
_SCRIPTS = cast(Table, Script.__table__)
_WORKING_COPIES = cast(Table, WorkingCopy.__table__)

# The statements of a save, built once: building a select with its joins costs more than
# running it.
_HEAD = (
    select(
        _SCRIPTS.c.id,
        _SCRIPTS.c.folder,
        _SCRIPTS.c.name,
        _SCRIPTS.c.owner,
        _SCRIPTS.c.visibility,
        _SCRIPTS.c.deleted_at,
        _SCRIPTS.c.head_version_id,
        _VERSIONS.c.seq,
        _BLOBS.c.id,
        _BLOBS.c.sha256,
        _BLOBS.c.depth,
        _WORKING_COPIES.c.sha256,
    )
    .select_from(_SCRIPTS)
    .outerjoin(_VERSIONS, _VERSIONS.c.id == _SCRIPTS.c.head_version_id)
    .outerjoin(_BLOBS, _BLOBS.c.id == _VERSIONS.c.blob_id)
    .outerjoin(
        _WORKING_COPIES,
        (_WORKING_COPIES.c.script_id == _SCRIPTS.c.id)
        & (_WORKING_COPIES.c.user == bindparam("user")),
    )
    .where(_SCRIPTS.c.id == bindparam("script_id"))
)
_LOCK_SCRIPT = (
    select(_SCRIPTS.c.id).where(_SCRIPTS.c.id == bindparam("script_id")).with_for_update()
)
_INSERT_BLOB_SQLITE = (
    sqlite_insert(_BLOBS).on_conflict_do_nothing(index_elements=["sha256"]).returning(_BLOBS.c.id)
)
_INSERT_BLOB_POSTGRESQL = (
    postgresql_insert(_BLOBS)
    .on_conflict_do_nothing(index_elements=["sha256"])
    .returning(_BLOBS.c.id)
)
_chain = (
    select(_BLOBS.c.id, _BLOBS.c.base_id, _BLOBS.c.sha256, _BLOBS.c.data)
    .where(_BLOBS.c.id == bindparam("blob_id"))
    .cte("chain", recursive=True)
)
_chain = _chain.union_all(
    select(_BLOBS.c.id, _BLOBS.c.base_id, _BLOBS.c.sha256, _BLOBS.c.data).join(
        _chain, _BLOBS.c.id == _chain.c.base_id
    )
)
_CHAIN = select(_chain.c.id, _chain.c.base_id, _chain.c.sha256, _chain.c.data)
_INSERT_VERSION = insert(_VERSIONS).returning(_VERSIONS.c.id)
_SET_HEAD = (
    update(_SCRIPTS)
    .where(_SCRIPTS.c.id == bindparam("script_id"))
    .values(head_version_id=bindparam("head_version_id"), updated_at=bindparam("updated_at"))
)
_WORD = re.compile(r"[^\W_]+")
_LONGEST_WORD = 100


def search_words(value: str, limit: int = 200_000) -> str:
    """Words as both databases index them: lower case, accents stripped, none overlong.

    The text is capped (PostgreSQL refuses a tsvector over 1 MB); a script's first
    200,000 characters of words are what search finds.
    """
    plain = unicodedata.normalize("NFKD", value.lower())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    words = (word for word in _WORD.findall(plain) if len(word) <= _LONGEST_WORD)
    return " ".join(words)[:limit]


@dataclass(frozen=True)
class SearchDocument:
    """What the search index holds for a script: its words, split the same way for any DB."""

    name: str
    description: str
    content: str

    @classmethod
    def of(cls, name: str, description: str, content: str) -> SearchDocument:
        return cls(search_words(name), search_words(description), search_words(content))


def _live_and_visible(viewer: str | None) -> list[ColumnElement[bool]]:
    """Scripts not deleted that ``viewer`` may see (everyone's when None)."""
    conditions: list[ColumnElement[bool]] = [Script.deleted_at.is_(None)]
    if viewer is not None:
        conditions.append(or_(Script.visibility == "team", Script.owner == viewer))
    return conditions


class UniqueViolationError(Exception):
    """A write broke a uniqueness rule (a name in a folder, a label on a script)."""


@dataclass(frozen=True)
class ScriptFilter:
    folder: str | None = None
    name: str | None = None
    tag: str | None = None
    owner: str | None = None
    text: str | None = None
    viewer: str | None = None  # sees team scripts and their own private ones
    include_deleted: bool = False


@dataclass(frozen=True)
class Head:
    """A script and what its head version is: all a save needs, in one row."""

    script_id: int
    folder: str
    name: str
    owner: str
    visibility: str
    deleted: bool
    version_id: int | None
    seq: int
    blob_id: int | None
    sha256: bytes | None
    depth: int
    copy_sha256: bytes | None = None  # the asking user's working copy, as last synced


@dataclass(frozen=True)
class ChainLink:
    blob_id: int
    base_id: int | None
    sha256: bytes
    data: bytes


class Store:
    """Transactions over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._writer = for_writing(engine)
        self._write = sessionmaker(self._writer, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self, wait_seconds: float = 10.0) -> None:
        """Close the engine's connections (the server is stopping). Blocking: a store call
        still at work on a thread (its task was cancelled, the thread goes on) is given up
        to ``wait_seconds`` to give its connection back, since one returned after the
        engine was disposed is never closed, only dropped with its pool."""
        in_use = getattr(self.engine.pool, "checkedout", lambda: 0)
        deadline = time.monotonic() + wait_seconds
        while in_use() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.engine.dispose()

    @contextlib.contextmanager
    def reading(self) -> Iterator[StoreSession]:
        with self._read() as session:
            yield StoreSession(session)

    @contextlib.contextmanager
    def writing_connection(self) -> Iterator[Connection]:
        """A write transaction without an ORM session, for hot prebuilt statements."""
        with self._writer.begin() as connection:
            yield connection

    @contextlib.contextmanager
    def writing(self) -> Iterator[StoreSession]:
        """A transaction that commits when the block ends without an exception."""
        with self._write() as session, session.begin():
            try:
                yield StoreSession(session)
                session.flush()
            except IntegrityError as error:
                raise UniqueViolationError(str(error.orig)) from error


class StoreSession:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._dialect = session.get_bind().dialect.name

    # --- scripts ---------------------------------------------------------------------

    def add_script(self, script: Script) -> Script:
        self.session.add(script)
        self._flush()
        return script

    def script(self, script_id: int, lock: bool = False) -> Script | None:
        """The script row; ``lock`` holds it against concurrent writers until commit."""
        query = select(Script).where(Script.id == script_id)
        if lock and self._dialect == "postgresql":
            query = query.with_for_update()
        return self.session.scalars(query).first()

    def live_script_at(self, folder: str, name: str) -> Script | None:
        return self.session.scalars(
            select(Script).where(
                Script.folder == folder, Script.name == name, Script.deleted_at.is_(None)
            )
        ).first()

    def is_leftover_copy(self, folder: str, name: str, user: str, sha256: bytes) -> bool:
        """Whether the file is this user's working copy of a script since deleted, unchanged."""
        found = self.session.scalar(
            select(func.count())
            .select_from(_SCRIPTS)
            .join(_WORKING_COPIES, _WORKING_COPIES.c.script_id == _SCRIPTS.c.id)
            .where(
                _SCRIPTS.c.folder == folder,
                _SCRIPTS.c.name == name,
                _SCRIPTS.c.deleted_at.is_not(None),
                _WORKING_COPIES.c.user == user,
                _WORKING_COPIES.c.sha256 == sha256,
            )
        )
        return bool(found)

    def set_tags(self, script: Script, tags: Sequence[str]) -> None:
        script.tags = [ScriptTag(tag=tag) for tag in sorted(set(tags))]

    def touch(self, script: Script) -> None:
        script.updated_at = utcnow()
        self._flush()

    def list_scripts(
        self, where: ScriptFilter, limit: int, after: tuple[str, str, int] | None
    ) -> Sequence[Script]:
        """Scripts ordered by folder, name, id; ``after`` is the last key of the previous page."""
        query = select(Script)
        if not where.include_deleted:
            query = query.where(Script.deleted_at.is_(None))
        if where.folder is not None:
            query = query.where(Script.folder == where.folder)
        if where.name is not None:
            query = query.where(Script.name == where.name)
        if where.owner is not None:
            query = query.where(Script.owner == where.owner)
        if where.viewer is not None:
            query = query.where(or_(Script.visibility == "team", Script.owner == where.viewer))
        if where.tag is not None:
            query = query.where(
                Script.id.in_(select(ScriptTag.script_id).where(ScriptTag.tag == where.tag))
            )
        if where.text:
            query = self._matching(query, where.text)
        if after is not None:
            query = query.where(tuple_(Script.folder, Script.name, Script.id) > tuple_(*after))
        query = (
            query.options(selectinload(Script.tags))
            .order_by(Script.folder, Script.name, Script.id)
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def folder_counts(self, viewer: str | None) -> list[tuple[str, int]]:
        """Each folder holding live scripts the viewer may see, with how many, by folder."""
        query = select(Script.folder, func.count()).where(*_live_and_visible(viewer))
        rows = self.session.execute(query.group_by(Script.folder).order_by(Script.folder))
        return [(folder, count) for folder, count in rows]

    def tag_counts(self, viewer: str | None) -> list[tuple[str, int]]:
        """Each tag on live scripts the viewer may see, with how many, by tag."""
        query = (
            select(ScriptTag.tag, func.count())
            .join(Script, Script.id == ScriptTag.script_id)
            .where(*_live_and_visible(viewer))
        )
        rows = self.session.execute(query.group_by(ScriptTag.tag).order_by(ScriptTag.tag))
        return [(tag, count) for tag, count in rows]

    def _matching(self, query: Select[Script], words: str) -> Select[Script]:
        """Scripts whose name contains ``words`` or whose indexed text has every word."""
        tokens = search_words(words).split()
        name_match = Script.name.ilike(f"%{_escape_like(words)}%", escape="\\")
        if not tokens:
            return query.where(name_match)
        if self._dialect == "sqlite":
            # Each word as a quoted prefix term: nothing the user typed is FTS syntax.
            expression = " ".join(f'"{token}"*' for token in tokens)
            ids = (
                select(text("rowid"))
                .select_from(text("script_search"))
                .where(text("script_search MATCH :q").bindparams(q=expression))
            )
        else:
            expression = " & ".join(f"{token}:*" for token in tokens)
            ids = (
                select(text("script_id"))
                .select_from(text("script_search"))
                .where(text("document @@ to_tsquery('simple', :q)").bindparams(q=expression))
            )
        return query.where(or_(name_match, Script.id.in_(ids)))

    # --- search index ----------------------------------------------------------------

    def stale_index_entries(self, limit: int) -> Sequence[tuple[int, int | None, int | None]]:
        """(script id, head version id, indexed version id) of live scripts lagging behind."""
        rows = self.session.execute(
            select(Script.id, Script.head_version_id, Script.indexed_version_id)
            .where(
                Script.deleted_at.is_(None),
                or_(
                    Script.indexed_version_id.is_(None),
                    Script.indexed_version_id != Script.head_version_id,
                ),
                Script.head_version_id.is_not(None),
            )
            .limit(limit)
        ).all()
        return [(row[0], row[1], row[2]) for row in rows]

    def write_index(
        self, script_id: int, head_id: int | None, was_indexed: int | None, document: SearchDocument
    ) -> bool:
        """Index the document if the script is as it was read; False if it changed since."""
        claimed = self.session.execute(
            update(_SCRIPTS)
            .where(
                _SCRIPTS.c.id == script_id,
                _SCRIPTS.c.head_version_id == head_id,
                _SCRIPTS.c.indexed_version_id.is_not_distinct_from(was_indexed),
                _SCRIPTS.c.deleted_at.is_(None),
            )
            .values(indexed_version_id=head_id)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return False
        self.drop_index(script_id)
        key = "rowid" if self._dialect == "sqlite" else "script_id"
        self.session.execute(
            text(
                f"INSERT INTO script_search({key}, name, description, content)"  # noqa: S608
                " VALUES (:id, :name, :description, :content)"
            ),
            {"id": script_id, **asdict(document)},
        )
        return True

    def drop_index(self, script_id: int) -> None:
        column = "rowid" if self._dialect == "sqlite" else "script_id"
        self.session.execute(
            text(f"DELETE FROM script_search WHERE {column} = :id"),  # noqa: S608 - fixed names
            {"id": script_id},
        )

    # --- blobs and versions ----------------------------------------------------------
    # Saves run these Core statements rather than the ORM: they are the hot path.

    def head(self, script_id: int, lock: bool = False, user: str | None = None) -> Head | None:
        """The script's head; ``lock`` holds the script against other writers until commit.

        With ``user``, also the hash their working copy had when last synced.
        """
        if lock and self._dialect == "postgresql":
            # Lock alone first: a locking join would re-read only the script row after
            # waiting, pairing the new head id with the old head's version row.
            self.session.execute(_LOCK_SCRIPT, {"script_id": script_id})
        row = self.session.execute(_HEAD, {"script_id": script_id, "user": user}).first()
        if row is None:
            return None
        (script, folder, name, owner, visibility, deleted, version, seq, blob, sha, depth, copy) = (
            row
        )
        return Head(
            script, folder, name, owner, visibility, deleted is not None, version, seq or 0,
            blob, sha, depth or 0, copy,
        )  # fmt: skip

    def insert_blob(
        self, sha256: bytes, size: int, base_id: int | None, depth: int, data: bytes
    ) -> int:
        """Store a blob, or find the one with the same content: one statement either way."""
        values = {"sha256": sha256, "size": size, "base_id": base_id, "depth": depth, "data": data}
        statement = _INSERT_BLOB_SQLITE if self._dialect == "sqlite" else _INSERT_BLOB_POSTGRESQL
        inserted = self.session.execute(statement, values).scalar()
        if inserted is not None:
            return int(inserted)
        existing = self.session.scalar(select(_BLOBS.c.id).where(_BLOBS.c.sha256 == sha256))
        assert existing is not None
        return int(existing)

    def insert_version(self, **values: object) -> int:
        return int(self.session.execute(_INSERT_VERSION, values).scalar_one())

    def set_head(self, script_id: int, version_id: int, when: datetime) -> None:
        self.session.execute(
            _SET_HEAD, {"script_id": script_id, "head_version_id": version_id, "updated_at": when}
        )
        # A Script this session already loaded must not go on showing the old head.
        loaded = self.session.identity_map.get(self.session.identity_key(Script, script_id))
        if loaded is not None:
            set_committed_value(loaded, "head_version_id", version_id)
            set_committed_value(loaded, "updated_at", when)

    def blob_chain(self, blob_id: int) -> list[ChainLink]:
        """The blob and its bases, nearest first, down to the full copy: one query."""
        rows = self.session.execute(_CHAIN, {"blob_id": blob_id}).all()
        by_id = {row[0]: ChainLink(row[0], row[1], row[2], row[3]) for row in rows}
        ordered, current = [], by_id.get(blob_id)
        while current is not None:
            ordered.append(current)
            current = by_id.get(current.base_id) if current.base_id is not None else None
        return ordered

    def version(self, version_id: int) -> Version | None:
        return self.session.get(Version, version_id)

    def versions(
        self, script_id: int, limit: int, before_seq: int | None = None
    ) -> Sequence[Version]:
        """A script's versions, newest first."""
        query = select(Version).where(Version.script_id == script_id)
        if before_seq is not None:
            query = query.where(Version.seq < before_seq)
        return self.session.scalars(query.order_by(Version.seq.desc()).limit(limit)).all()

    def version_with_content_hash(self, script_id: int, sha256: bytes) -> Version | None:
        """The newest version of the script with this content, if any."""
        return self.session.scalars(
            select(Version)
            .join(Blob, Version.blob_id == Blob.id)
            .where(Version.script_id == script_id, Blob.sha256 == sha256)
            .order_by(Version.seq.desc())
            .limit(1)
        ).first()

    def add_label(self, version: Version, label: str) -> None:
        version.labels.append(
            VersionLabel(version_id=version.id, label=label, script_id=version.script_id)
        )
        self._flush()

    def remove_label(self, version: Version, label: str) -> bool:
        result = self.session.execute(
            delete(VersionLabel).where(
                VersionLabel.version_id == version.id, VersionLabel.label == label
            )
        )
        self.session.expire(version, ["labels"])
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def publish(self, script_id: int, version_id: int, expected: int | None) -> bool:
        """Move the published pointer if it still is ``expected``: compare and swap."""
        current = (
            Script.published_version_id.is_(None)
            if expected is None
            else Script.published_version_id == expected
        )
        result = self.session.execute(
            update(Script)
            .where(Script.id == script_id, current)
            .values(published_version_id=version_id, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- working copies --------------------------------------------------------------

    def working_copy_sha(self, script_id: int, user: str) -> bytes | None:
        """What the user's working copy held when last read or written."""
        return self.session.scalar(
            select(_WORKING_COPIES.c.sha256).where(
                _WORKING_COPIES.c.script_id == script_id, _WORKING_COPIES.c.user == user
            )
        )

    def record_working_copy(
        self, script_id: int, user: str, path: str, sha256: bytes, version_id: int | None
    ) -> None:
        values = {"path": path, "sha256": sha256, "version_id": version_id, "synced_at": utcnow()}
        updated = self.session.execute(
            update(_WORKING_COPIES)
            .where(_WORKING_COPIES.c.script_id == script_id, _WORKING_COPIES.c.user == user)
            .values(**values)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                insert(_WORKING_COPIES).values(script_id=script_id, user=user, **values)
            )

    # --- integrity -------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """What the database's own integrity check reports; empty when all is well."""
        if self._dialect == "sqlite":
            rows = self.session.execute(text("PRAGMA integrity_check")).scalars().all()
            return [str(row) for row in rows if row != "ok"]
        orphans = self.session.scalar(
            select(func.count())
            .select_from(Version)
            .outerjoin(Blob, Version.blob_id == Blob.id)
            .where(Blob.id.is_(None))
        )
        return [f"{orphans} versions without content"] if orphans else []

    def _flush(self) -> None:
        self.session.flush()


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""SQLAlchemy models of the store. The schema itself is owned by the Alembic migrations."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


class Script(Base):
    __tablename__ = "scripts"
    __table_args__ = (
        # A name is unique within its folder among the scripts that are not deleted.
        Index(
            "ix_scripts_folder_name_live",
            "folder",
            "name",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_scripts_owner", "owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(1024), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    interpreter: Mapped[str | None] = mapped_column(String(255))
    owner: Mapped[str] = mapped_column(String(255))
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    head_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", use_alter=True, name="fk_scripts_head_version")
    )
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", use_alter=True, name="fk_scripts_published_version")
    )
    # The head version whose content the search index holds; behind head while it catches up.
    indexed_version_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tags: Mapped[list["ScriptTag"]] = relationship(
        cascade="all, delete-orphan", order_by="ScriptTag.tag"
    )


class ScriptTag(Base):
    __tablename__ = "script_tags"
    __table_args__ = (Index("ix_script_tags_tag", "tag"),)

    script_id: Mapped[int] = mapped_column(
        ForeignKey("scripts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class Blob(Base):
    """Content, stored once per sha256: a full copy or a delta against ``base``."""

    __tablename__ = "blobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    base_id: Mapped[int | None] = mapped_column(ForeignKey("blobs.id"))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    # Loaded only when asked for: versions join their blob for its hash and size.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Version(Base):
    """An immutable snapshot of a script's content."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("script_id", "seq", name="uq_versions_script_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id"))
    seq: Mapped[int] = mapped_column(Integer)
    blob_id: Mapped[int] = mapped_column(ForeignKey("blobs.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    restored_from_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(Text, default="")

    blob: Mapped[Blob] = relationship(lazy="joined")
    labels: Mapped[list["VersionLabel"]] = relationship(
        lazy="selectin", order_by="VersionLabel.label", cascade="all, delete-orphan"
    )


class VersionLabel(Base):
    __tablename__ = "version_labels"
    __table_args__ = (UniqueConstraint("script_id", "label", name="uq_version_labels_label"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id"))


class WorkingCopy(Base):
    """What a user's working file held when ScriptForge last read or wrote it."""

    __tablename__ = "working_copies"

    script_id: Mapped[int] = mapped_column(
        ForeignKey("scripts.id", ondelete="CASCADE"), primary_key=True
    )
    user: Mapped[str] = mapped_column(String(255), primary_key=True)
    path: Mapped[str] = mapped_column(String(2048))
    sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Group(Base):
    """A named, ordered list of scripts that run together."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_groups_owner_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    owner: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(16), default="sequential")
    max_concurrency: Mapped[int] = mapped_column(Integer, default=2)
    stop_on_failure: Mapped[bool] = mapped_column(Boolean, default=True)
    item_timeout_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["GroupItem"]] = relationship(
        lazy="selectin", order_by="GroupItem.position", cascade="all, delete-orphan"
    )


class GroupItem(Base):
    __tablename__ = "group_items"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id"))
    args: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Values of the script's parameters (read from its code), instead of ``args``.
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    interpreter: Mapped[str | None] = mapped_column(String(255))
    timeout_seconds: Mapped[float | None] = mapped_column(Float)


class Run(Base):
    """One execution of a script version, or of a group (which owns its child runs)."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_script", "script_id", "id"),
        Index("ix_runs_group", "group_id", "id"),
        Index("ix_runs_parent", "parent_id", "position"),
        Index("ix_runs_user", "user", "id"),
        Index("ix_runs_instance_status", "instance", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # script | group
    user: Mapped[str] = mapped_column(String(255))
    # The server that executes it: after a restart it marks its unfinished runs interrupted.
    instance: Mapped[str] = mapped_column(String(255))
    script_id: Mapped[int | None] = mapped_column(ForeignKey("scripts.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    position: Mapped[int | None] = mapped_column(Integer)
    interpreter: Mapped[str | None] = mapped_column(String(255))
    runner: Mapped[str | None] = mapped_column(String(32))
    args: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The parameter values the run was given (``args`` then holds the argv made of them).
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    env: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    timeout_seconds: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    exit_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    peak_memory_bytes: Mapped[int | None] = mapped_column(BigInteger)
    output_chars: Mapped[int] = mapped_column(Integer, default=0)
    output_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The schedule that started it, if one did.
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    # Files kept from its output folder (artifacts/; they may have expired since).
    artifact_files: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RunOutput(Base):
    """A piece of a run's output: ``offset`` counts characters of all earlier pieces."""

    __tablename__ = "run_output"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(8))  # stdout | stderr
    text: Mapped[str] = mapped_column(Text)


class AssistantAudit(Base):
    """One assistant request and its answer, or one guardrail decision: who, when, what."""

    __tablename__ = "assistant_audit"
    __table_args__ = (
        Index("ix_assistant_audit_user", "user", "id"),
        Index("ix_assistant_audit_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))  # generate | edit | explain | fix | accept | …
    model: Mapped[str] = mapped_column(String(255), default="")
    prompt: Mapped[str] = mapped_column(Text, default="")  # as sent, i.e. after the filters
    response: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class GuardrailHold(Base):
    """Code the guardrails blocked when the assistant handed it to a user: no run of a version
    with this content, by the assistant or by that user, starts until an admin releases it
    (the release is audited, and stands for the content)."""

    __tablename__ = "guardrail_holds"

    sha256: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    held_for: Mapped[str] = mapped_column(String(255), primary_key=True)  # who got the code
    # Where the guardrails objected: [{"rule", "line"}], for the message a refused run gets.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    action: Mapped[str] = mapped_column(String(32))  # generate | edit | fix | chat | accept | …
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by: Mapped[str | None] = mapped_column(String(255))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class DependencyPins(Base):
    """What a version's declared dependencies resolved to for one kind of interpreter:
    recorded the first time, so that running the version again later installs the same."""

    __tablename__ = "dependency_pins"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. cpython-3.11
    pins: Mapped[list[str]] = mapped_column(JSON, default=list)
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Schedule(Base):
    """A run (of a script or a group) started at the times a cron expression names, in a
    time zone, as its owner."""

    __tablename__ = "schedules"
    __table_args__ = (Index("ix_schedules_due", "active", "next_fire_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    owner: Mapped[str] = mapped_column(String(255))
    cron: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64))
    # What each fire starts: a ``POST runs`` body (script_id or group_id, and the rest).
    run: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Fires missed while no server ran: "skip" them, or run "once" for the latest.
    missed: Mapped[str] = mapped_column(String(8), default="skip")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why it stopped by itself (its owner lost a right, its script went), if it did.
    stopped_because: Mapped[str | None] = mapped_column(Text)
    next_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleFire(Base):
    """One fire time of a schedule, claimed by the one server that starts it: the unique
    (schedule, time) is what keeps several servers on one store from starting it twice."""

    __tablename__ = "schedule_fires"
    __table_args__ = (UniqueConstraint("schedule_id", "fire_at", name="uq_schedule_fires_time"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    fire_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(255))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    # Why no run started at this time (a refusal, a missing script), if none did.
    error: Mapped[str | None] = mapped_column(Text)

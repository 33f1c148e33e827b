"""What the catalog answers with: a script as the API shows it, a page of scripts, and the
cursor that fetches the next page."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import InvalidInput

# (folder or tag, how many scripts)
Counts = list[tuple[str, int]]


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


def encode_cursor(last: ScriptInfo) -> str:
    raw = json.dumps([last.folder, last.name, last.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, str, int] | None:
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

"""What a user may ask of a script's versions, checked: save, restore, publish, label."""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Body, optional_int, optional_text, required_int, required_text
from .service import UNCHECKED, Unchecked


@dataclass(frozen=True)
class NewVersion:
    """``POST scripts/{id}/versions``: the content, saved on top of ``base_version_id`` (the
    head the editor last saw; None: don't check)."""

    content: str
    message: str = ""
    base_version_id: int | None = None


@dataclass(frozen=True)
class Publication:
    """``POST scripts/{id}/publish``: ``version_id`` becomes the published one, if the
    published version is still ``base`` (None: none was; ``UNCHECKED``: don't check)."""

    version_id: int
    base: int | Unchecked | None = UNCHECKED


def new_version(body: Body) -> NewVersion:
    return NewVersion(
        content=required_text(body, "content"),
        message=optional_text(body, "message") or "",
        base_version_id=optional_int(body, "base_version_id"),
    )


def version_to_restore(body: Body) -> int:
    return required_int(body, "version_id")


def publication(body: Body) -> Publication:
    # An explicit null says "I saw nothing published"; no key says "don't check".
    base = optional_int(body, "base_version_id") if "base_version_id" in body else UNCHECKED
    return Publication(required_int(body, "version_id"), base)


def label(body: Body) -> str:
    return required_text(body, "label")

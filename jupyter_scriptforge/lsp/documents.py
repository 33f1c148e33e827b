"""A document's text kept up to date from ``didChange``: full texts, or ranged edits whose
positions count UTF-16 code units, as LSP's do."""

from __future__ import annotations

from typing import Any


def apply_changes(text: str, changes: list[Any]) -> str:
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("text"), str):
            raise ValueError("a content change needs a text")
        edit = change.get("range")
        if edit is None:
            text = change["text"]
            continue
        start = offset_of(text, edit["start"])
        end = offset_of(text, edit["end"])
        if end < start:
            raise ValueError("a change's range ends before it starts")
        text = text[:start] + change["text"] + text[end:]
    return text


def offset_of(text: str, position: Any) -> int:
    """The index in ``text`` of an LSP position (line, UTF-16 character); past the end of a
    line or of the text clamps to it, as the protocol asks."""
    line, character = int(position["line"]), int(position["character"])
    if line < 0 or character < 0:
        raise ValueError("a position cannot be negative")
    start = 0
    for _ in range(line):
        newline = text.find("\n", start)
        if newline < 0:
            return len(text)
        start = newline + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    units = 0
    index = start
    while index < end and units < character:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def position_of(text: str, offset: int) -> dict[str, int]:
    """The LSP position (line, UTF-16 character) of index ``offset`` of ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    character = sum(2 if ord(c) > 0xFFFF else 1 for c in text[start:offset])
    return {"line": line, "character": character}

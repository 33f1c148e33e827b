"""A run's output while it runs: kept in order, capped, followed live, saved in batches."""

from __future__ import annotations

import asyncio

from ..db.run_store import OutputPiece
from .runners.base import Stream

TRUNCATION_NOTE = "\n[scriptforge] output truncated: the run wrote more than {limit} characters\n"


class OutputLog:
    """Everything a run printed, as pieces with character offsets, up to ``limit``.

    ``unsaved()`` gives the pieces not yet in the store, ``mark_saved`` counts them in once
    committed; followers wait on ``changed()`` for new pieces or the end of the run.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[OutputPiece] = []
        self.size = 0
        self.truncated = False
        self._saved = 0
        self._changed = asyncio.Event()

    def write(self, stream: Stream, text: str) -> None:
        if self.truncated or not text:
            return
        # PostgreSQL's text refuses NUL; the user sees the control picture instead.
        text = text.replace("\0", "\u2400")
        room = self.limit - self.size
        if len(text) > room:
            text = text[:room]
            self.truncated = True
        if text:
            last = self.pieces[-1] if self.pieces else None
            if last is not None and last.stream == stream and len(self.pieces) > self._saved:
                # Merge with the unsaved piece before: one row, not one per print().
                self.pieces[-1] = OutputPiece(last.offset, stream, last.text + text)
            else:
                self.pieces.append(OutputPiece(self.size, stream, text))
            self.size += len(text)
        if self.truncated:
            note = TRUNCATION_NOTE.format(limit=self.limit)
            self.pieces.append(OutputPiece(self.size, "stderr", note))
            self.size += len(note)
        self._notify()

    def unsaved(self) -> list[OutputPiece]:
        """Pieces not yet saved; ``mark_saved`` once they are committed."""
        return self.pieces[self._saved :]

    def mark_saved(self, count: int | None = None) -> None:
        self._saved = len(self.pieces) if count is None else self._saved + count

    def finish(self) -> None:
        """Wake the followers a last time: the run is over."""
        self._notify()

    def read(self, offset: int) -> list[OutputPiece]:
        """Pieces from character ``offset`` on."""
        found = []
        for piece in self.pieces:
            end = piece.offset + len(piece.text)
            if end <= offset:
                continue
            if piece.offset < offset:
                piece = OutputPiece(offset, piece.stream, piece.text[offset - piece.offset :])
            found.append(piece)
        return found

    def tail(self, chars: int) -> str:
        """The last ``chars`` characters written, both streams as they came."""
        found: list[str] = []
        size = 0
        for piece in reversed(self.pieces):
            found.append(piece.text)
            size += len(piece.text)
            if size >= chars:
                break
        return "".join(reversed(found))[-chars:]

    def changed(self) -> asyncio.Event:
        """An event set when something is written or the run ends."""
        return self._changed

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

"""The catalog and version services on a real store, called directly as the handlers do
(SQLite, and PostgreSQL through ``db_url``), wired as the server wires them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_scriptforge.services import Services
from tests.wiring import services_on


@pytest.fixture
def services(db_url: str, tmp_path: Path) -> Iterator[Services]:
    built = services_on(db_url, tmp_path / "root")
    yield built
    built.store.engine.dispose()

"""The catalog and version services on a real store, called directly as the handlers do
(SQLite, and PostgreSQL through ``db_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jupyter_scriptforge.catalog.service import CatalogService
from jupyter_scriptforge.catalog.workingcopy import WorkingCopies
from jupyter_scriptforge.db.engine import make_engine
from jupyter_scriptforge.db.migrate import upgrade
from jupyter_scriptforge.db.store import Store
from jupyter_scriptforge.versions.service import VersionService


@dataclass
class CatalogServices:
    store: Store
    versions: VersionService
    catalog: CatalogService


def build_services(db_url: str, root: Path) -> CatalogServices:
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    versions = VersionService(store)
    return CatalogServices(
        store, versions, CatalogService(store, versions, WorkingCopies(root, "scripts"))
    )


@pytest.fixture
def services(db_url: str, tmp_path: Path) -> Iterator[CatalogServices]:
    built = build_services(db_url, tmp_path / "root")
    yield built
    built.store.engine.dispose()

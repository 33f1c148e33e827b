"""A real JupyterHub with ScriptForge's service, started once for the hub tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import unavailable
from tests.hub_process import HubProcess, running_hub
from tests.services import PostgresCluster, ServiceUnavailableError

# Each user and the ScriptForge role the hub config grants them ("none": may log in only).
USERS = {
    "alice": "author",
    "bob": "author",
    "vera": "viewer",
    "ada": "admin",
    "nora": "none",
}


@pytest.fixture(scope="session")
def hub(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresCluster
) -> Iterator[HubProcess]:
    """The team's hub with its store on PostgreSQL, as `make hub` runs it."""
    try:
        with running_hub(
            tmp_path_factory.mktemp("hub"), USERS, db_url=postgres.new_database()
        ) as started:
            yield started
    except ServiceUnavailableError as error:
        unavailable(f"JupyterHub: {error}")

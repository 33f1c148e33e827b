"""A real JupyterHub with ScriptForge's service, started once for the hub tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import unavailable
from tests.environments.index import serving
from tests.hub.servers import LAB_IMAGE
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

# Alice's runs have limits of their own (ScriptForgeApp.user_limits); the others', the defaults.
ALICE_LIMITS = {"memory_bytes": 256 << 20, "processes": 48}


@pytest.fixture(scope="session")
def hub(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresCluster
) -> Iterator[HubProcess]:
    """The team's hub with its store on PostgreSQL, as `make hub` runs it; scripts'
    dependencies come from a package index on loopback (sfdemo 1.0, needing sfhelper)."""
    work = tmp_path_factory.mktemp("hub")
    try:
        with serving(work / "package-index") as index:
            index.add("sfhelper", "1.0")
            index.add("sfdemo", "1.0", "sfhelper<2")
            settings = {
                "user_limits": {"alice": ALICE_LIMITS},
                "package_index_url": index.url,
                "env_cache_dir": str(work / "environments"),
                # Schedules that fire every few seconds, for tests/hub/test_team_schedules.py.
                "schedule_min_seconds": 1.0,
            }
            with running_hub(
                work, USERS, db_url=postgres.new_database(), service_settings=settings
            ) as started:
                yield started
    except ServiceUnavailableError as error:
        unavailable(f"JupyterHub: {error}")


@pytest.fixture(scope="session")
def lab_image(docker_client: Any) -> str:
    try:
        docker_client.images.get(LAB_IMAGE)  # type: ignore[attr-defined]
    except Exception:
        unavailable(f"{LAB_IMAGE} is not built (make images)")
    return LAB_IMAGE

"""Fixtures shared by all suites.

- ``jp_server_config`` loads ScriptForge into pytest-jupyter's server with a fresh SQLite store.
- ``docker_client``, ``postgres_url`` and ``chromium`` give real services. Locally a missing
  service skips its tests with the reason; with ``CI=true`` it fails them, and any skip at
  all is reported as a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import language_tools, services
from tests.environments.index import PackageIndex, serving

pytest_plugins = ["jupyter_server.pytest_plugin"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# litellm (under Jupyter AI) fetches its model cost map from the internet at import unless
# told to use its bundled copy: tests talk to loopback only. Set before anything imports it,
# and inherited by every server the tests start.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"
    return report


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scriptforge.db'}"
    cluster: services.PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def jp_server_config(db_url: str) -> dict:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_scriptforge": True}},
        # Its own sandbox user ids: another test session on this machine must not clean
        # them up at its start.
        "ScriptForgeApp": {
            "db_url": db_url,
            "runs_instance": f"pytest-{os.getpid()}",
            # No schedule fires by itself here: a test that needs one ticks, or sets it.
            "schedule_tick_seconds": 3600.0,
            **language_tools.SETTINGS,
        },
    }


@pytest.fixture
def package_index(tmp_path: Path) -> Iterator[PackageIndex]:
    """A PEP 503 index on loopback with sfhelper 1.0 and sfdemo 1.0 (which needs
    sfhelper<2); a test adds the 2.0s."""
    with serving(tmp_path / "package-index") as found:
        found.add("sfhelper", "1.0")
        found.add("sfdemo", "1.0", "sfhelper<2")
        yield found


@pytest.fixture(scope="session")
def docker_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    try:
        with services.docker_engine(tmp_path_factory.mktemp("docker")) as client:
            yield client
    except services.ServiceUnavailableError as error:
        unavailable(f"Docker Engine: {error}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[services.PostgresCluster]:
    try:
        with services.postgres_cluster() as cluster:
            yield cluster
    except services.ServiceUnavailableError as error:
        unavailable(f"PostgreSQL: {error}")


@pytest.fixture(scope="session")
def postgres_url(postgres: services.PostgresCluster) -> str:
    return postgres.url


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        return services.chromium_path()
    except services.ServiceUnavailableError as error:
        unavailable(f"Chromium: {error}")
        raise


@pytest.fixture(scope="session")
def busybox_image(docker_client: object) -> str:
    """A tiny image built here from Debian's static busybox."""
    try:
        return services.smoke_image(docker_client)  # type: ignore[arg-type]
    except services.ServiceUnavailableError as error:
        unavailable(f"test image: {error}")
        raise

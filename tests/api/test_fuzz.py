"""Schemathesis: generated requests, valid and not, against a real server.

Whatever comes in, the answer is never a 500, and it is what ``openapi.yaml`` says.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import jupyter_scriptforge
from tests.assistant.jupyter_ai import write_config
from tests.jupyter_process import JupyterProcess, running_jupyter

# A stream of run ends lasts as long as its listener asks (up to an hour): fuzzing it would
# be waiting; tests/api/test_run_ends.py covers it.
schema = schemathesis.openapi.from_path(
    Path(jupyter_scriptforge.__file__).with_name("api") / "openapi.yaml"
).exclude(path="/runs/ended")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterProcess]:
    work_dir = tmp_path_factory.mktemp("fuzz")
    db_url = (
        request.getfixturevalue("postgres").new_database()
        if request.param == "postgresql"
        else f"sqlite:///{work_dir / 'store.db'}"
    )
    # The assistant's operations are fuzzed too, against a mock model in Jupyter AI's config
    # (a 503 "no model configured" would count as a server error).
    jupyter_ai = write_config(work_dir / "jupyter_ai" / "config.json")
    extra_args = (f"--ConfigManager.config_path={jupyter_ai}",)
    with running_jupyter(work_dir, app="server", db_url=db_url, extra_args=extra_args) as running:
        # Something to find: most generated ids then hit a real script or version.
        for name in ("alpha", "beta"):
            running.request("POST", "/scriptforge/api/scripts", {"name": name, "content": "x\n"})
        yield running


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_with_a_server_error(case, server):
    case.call_and_validate(
        base_url=f"{server.url}/scriptforge/api",
        headers={"Authorization": f"token {server.token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )

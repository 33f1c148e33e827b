"""GET /scriptforge/api/health, through pytest-jupyter's in-process server."""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

from jupyter_scriptforge import __version__
from tests.conftest import unavailable
from tests.ordinary_user import NOBODY, shared_work_dir, wrapped

ROOT = Path(__file__).parents[1]


async def test_health_reports_version_store_runners_and_interpreters(jp_fetch, db_url):
    response = await jp_fetch("scriptforge", "api", "health")

    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    health = json.loads(response.body)
    assert health["version"] == __version__
    assert health["database"]["backend"] == db_url.split(":")[0].split("+")[0]
    assert health["database"]["ok"] is True
    assert "local" in health["runners"]
    assert isinstance(health["docker"]["available"], bool)
    found = {i["version"] for i in health["interpreters"]}
    assert ".".join(map(str, sys.version_info[:3])) in found
    names = [i["name"] for i in health["interpreters"]]
    assert len(names) == len(set(names)), "interpreter names must be unique"


async def test_health_refuses_a_wrong_token(jp_fetch):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(
            "scriptforge", "api", "health", headers={"Authorization": "token not-the-token"}
        )
    assert caught.value.code == 403


async def test_unknown_api_path_is_404(jp_fetch):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("scriptforge", "api", "no-such-thing")
    assert caught.value.code == 404


@pytest.mark.docker
async def test_health_sees_the_docker_engine_and_offers_its_runner(docker_client, jp_fetch):
    health = json.loads((await jp_fetch("scriptforge", "api", "health")).body)

    assert health["docker"]["available"] is True
    assert health["docker"]["version"] == docker_client.version()["Version"]
    assert health["runners"] == ["local", "docker"]


def test_a_docker_socket_closed_to_the_user_is_named_as_such() -> None:
    """An ordinary user not in the docker group meets a socket it may not open: the health
    report says so, not that no engine listens."""
    with shared_work_dir() as folder, socket.socket(socket.AF_UNIX) as engine:
        path = folder / "docker.sock"
        engine.bind(str(path))
        engine.listen()
        path.chmod(0o600)  # root's alone, as /var/run/docker.sock is root's and docker's
        probe = (
            "import sys\nfrom jupyter_scriptforge.execution.docker_engine import docker_status\n"
        )
        probe += "print(docker_status(sys.argv[1]).error)\n"
        try:
            command = wrapped([sys.executable, "-c", probe, f"unix://{path}"], uid=NOBODY)
        except RuntimeError as error:
            unavailable(str(error))
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
        )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"the Docker Engine's socket {path} is closed to this user: add the user to the "
        "docker group (or run the server as root)"
    )

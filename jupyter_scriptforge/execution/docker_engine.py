"""Whether a Docker Engine answers, asked through the docker SDK."""

import socket
from dataclasses import dataclass

import docker
from docker.errors import DockerException
from docker.utils import kwargs_from_env
from requests.exceptions import RequestException

_PING_TIMEOUT_SECONDS = 3
# `/version` answers on every API version; pinning one avoids the negotiation round trip
# that `version="auto"` makes (and leaks a socket on) before we know the engine is there.
_PROBE_API_VERSION = "1.24"


@dataclass(frozen=True)
class DockerStatus:
    available: bool
    version: str | None = None
    error: str | None = None


def docker_status(base_url: str | None = None) -> DockerStatus:
    """Ask the engine at ``base_url`` (or the environment's DOCKER_HOST) for its version.

    Blocking: call it through ``run_blocking``.
    """
    location = {"base_url": base_url} if base_url else kwargs_from_env()
    unix_path = _unix_socket_path(location.get("base_url"))
    if unix_path is not None and not _unix_socket_answers(unix_path):
        return DockerStatus(available=False, error=f"no Docker Engine listens on {unix_path}")
    try:
        client = docker.APIClient(
            version=_PROBE_API_VERSION, timeout=_PING_TIMEOUT_SECONDS, **location
        )
    except DockerException as error:
        return DockerStatus(available=False, error=str(error))
    try:
        version = client.version(api_version=False)
    except (DockerException, RequestException) as error:
        return DockerStatus(available=False, error=str(error))
    finally:
        client.close()
    return DockerStatus(available=True, version=str(version.get("Version", "unknown")))


def _unix_socket_path(base_url: str | None) -> str | None:
    if not base_url:
        return "/var/run/docker.sock"
    for prefix in ("unix://", "http+unix://"):
        if base_url.startswith(prefix):
            return base_url.removeprefix(prefix)
    return None


def _unix_socket_answers(path: str) -> bool:
    """Connect ourselves first: docker-py leaks the socket of a failed unix connection."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(_PING_TIMEOUT_SECONDS)
        try:
            sock.connect(path)
        except OSError:
            return False
    return True

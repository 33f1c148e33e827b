"""Whether a Docker Engine answers, and what it holds, asked through the docker SDK."""

import socket
from dataclasses import dataclass

import docker
from docker.errors import DockerException
from docker.utils import kwargs_from_env
from requests.exceptions import RequestException

from .interpreters import InterpreterImage

_PING_TIMEOUT_SECONDS = 3
# `/version` answers on every API version; pinning one avoids the negotiation round trip
# that `version="auto"` makes (and leaks a socket on) before we know the engine is there.
_PROBE_API_VERSION = "1.24"

# An interpreter image declares what it holds with these labels (see images/README.md).
IMPLEMENTATION_LABEL = "org.jupyter.scriptforge.interpreter.implementation"
# A team's lab images (images/lab.sh) hold an interpreter too, but a user's server, not runs.
ROLE_LABEL = "org.jupyter.scriptforge.image.role"
VERSION_LABEL = "org.jupyter.scriptforge.interpreter.version"


class EngineUnavailableError(Exception):
    """No Docker Engine answers where we were told to look."""


@dataclass(frozen=True)
class DockerStatus:
    available: bool
    version: str | None = None
    error: str | None = None


def open_api(
    base_url: str | None = None,
    *,
    version: str = "auto",
    timeout: int = _PING_TIMEOUT_SECONDS,
    max_pool_size: int = 10,
) -> docker.APIClient:
    """A low-level client of the engine at ``base_url`` (or DOCKER_HOST), checked first.

    Blocking. Raises ``EngineUnavailableError`` saying why when no engine answers.
    """
    location = {"base_url": base_url} if base_url else kwargs_from_env()
    unix_path = _unix_socket_path(location.get("base_url"))
    problem = _unix_socket_problem(unix_path) if unix_path is not None else None
    if problem is not None:
        raise EngineUnavailableError(problem)
    try:
        return docker.APIClient(
            version=version, timeout=timeout, max_pool_size=max_pool_size, **location
        )
    except (DockerException, RequestException) as error:
        raise EngineUnavailableError(str(error)) from error


def docker_status(base_url: str | None = None) -> DockerStatus:
    """Ask the engine at ``base_url`` (or the environment's DOCKER_HOST) for its version.

    Blocking: call it through ``run_blocking``.
    """
    try:
        client = open_api(base_url, version=_PROBE_API_VERSION)
    except EngineUnavailableError as error:
        return DockerStatus(available=False, error=str(error))
    try:
        version = client.version(api_version=False)
    except (DockerException, RequestException) as error:
        return DockerStatus(available=False, error=str(error))
    finally:
        client.close()
    return DockerStatus(available=True, version=str(version.get("Version", "unknown")))


def interpreter_images(base_url: str | None = None) -> list[InterpreterImage]:
    """Local images labelled with the interpreter they hold, one entry per tag.

    Blocking. Returns [] when no engine answers: the Docker runner then has nothing to run.
    """
    try:
        client = open_api(base_url, version=_PROBE_API_VERSION)
    except EngineUnavailableError:
        return []
    try:
        summaries = client.images(filters={"label": [IMPLEMENTATION_LABEL, VERSION_LABEL]})
    except (DockerException, RequestException):
        return []
    finally:
        client.close()
    found = []
    for summary in summaries:
        labels = summary.get("Labels") or {}
        if labels.get(ROLE_LABEL) == "lab":
            continue
        for tag in summary.get("RepoTags") or ():
            if tag != "<none>:<none>":
                found.append(
                    InterpreterImage(tag, labels[IMPLEMENTATION_LABEL], labels[VERSION_LABEL])
                )
    return sorted(found, key=lambda image: image.image)


def _unix_socket_path(base_url: str | None) -> str | None:
    if not base_url:
        return "/var/run/docker.sock"
    for prefix in ("unix://", "http+unix://"):
        if base_url.startswith(prefix):
            return base_url.removeprefix(prefix)
    return None


def _unix_socket_problem(path: str) -> str | None:
    """Why nothing answers on the socket, in words a user can act on; None if something
    does. Connects ourselves first: docker-py leaks the socket of a failed unix connection."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(_PING_TIMEOUT_SECONDS)
        try:
            sock.connect(path)
        except PermissionError:
            return (
                f"the Docker Engine's socket {path} is closed to this user: add the user "
                "to the docker group (or run the server as root)"
            )
        except OSError:
            return f"no Docker Engine listens on {path}"
    return None

"""Real services for the tests: a Docker Engine and a throwaway PostgreSQL cluster.

Each helper either returns a working service or raises ``ServiceUnavailableError`` saying why;
the fixtures in ``conftest.py`` turn that into a skip locally and a failure under CI.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import pwd
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import psycopg
from docker.errors import DockerException

from jupyter_scriptforge.execution.docker_engine import docker_status

IS_ROOT = os.geteuid() == 0
SMOKE_IMAGE = "scriptforge-test/busybox:latest"


class ServiceUnavailableError(Exception):
    """A service the test needs cannot be had on this machine."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM, and SIGKILL if it has not exited within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Docker Engine ---------------------------------------------------------------------


def _docker_client() -> docker.DockerClient | None:
    if not docker_status().available:
        return None
    try:
        return docker.from_env(version="auto", timeout=60)
    except DockerException:
        return None


@contextlib.contextmanager
def docker_engine(work_dir: Path) -> Iterator[docker.DockerClient]:
    """A Docker Engine that answers: the running one, or a dockerd started for the tests.

    A daemon we start uses ``--bridge=none --iptables=false``: tests only ever use
    ``network_mode="none"`` or ``"host"``, and must not touch the machine's firewall.
    """
    client = _docker_client()
    if client is not None:
        yield client
        client.close()
        return
    dockerd = shutil.which("dockerd") or (
        "/usr/sbin/dockerd" if os.path.exists("/usr/sbin/dockerd") else None
    )
    if dockerd is None:
        raise ServiceUnavailableError("no Docker Engine answers and dockerd is not installed")
    if not IS_ROOT:
        raise ServiceUnavailableError("no Docker Engine answers and only root may start dockerd")
    log_path = work_dir / "dockerd.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [dockerd, "--bridge=none", "--iptables=false", "--ip6tables=false"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if not wait_until(lambda: _docker_client() is not None, timeout=60, interval=0.5):
            tail = log_path.read_text(errors="replace")[-2000:]
            raise ServiceUnavailableError(f"dockerd started but does not answer:\n{tail}")
        client = _docker_client()
        assert client is not None
        yield client
        client.close()
    finally:
        stop(process, timeout=30)


def smoke_image(client: docker.DockerClient) -> str:
    """A tiny image built FROM scratch around Debian's static busybox: no registry needed."""
    with contextlib.suppress(docker.errors.ImageNotFound):
        client.images.get(SMOKE_IMAGE)
        return SMOKE_IMAGE
    busybox = shutil.which("busybox") or "/bin/busybox"
    if not os.path.exists(busybox):
        raise ServiceUnavailableError("busybox (Debian busybox-static) is needed for a test image")
    dockerfile = (
        b"FROM scratch\n"
        b"COPY busybox /bin/busybox\n"
        b'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
    )
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(dockerfile)
        tar.addfile(info, io.BytesIO(dockerfile))
        tar.add(busybox, arcname="busybox")
    context.seek(0)
    client.images.build(
        fileobj=context, custom_context=True, tag=SMOKE_IMAGE, network_mode="none", rm=True
    )
    return SMOKE_IMAGE


# --- PostgreSQL ------------------------------------------------------------------------


def _postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the ``postgres`` user."""
    if not IS_ROOT:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresCluster:
    """A running throwaway cluster: ``url`` of its ``postgres`` database, and fresh ones."""

    host: str
    port: int
    user: str = "scriptforge"
    _count: int = 0

    @property
    def url(self) -> str:
        return self.url_of("postgres")

    def url_of(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def new_database(self) -> str:
        """An empty database of its own for one test."""
        self._count += 1
        name = f"test_{os.getpid()}_{self._count}"
        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url_of(name)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster on a free loopback port."""
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise ServiceUnavailableError(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        )
    if IS_ROOT:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as error:
            raise ServiceUnavailableError(
                "running as root but there is no 'postgres' user"
            ) from error
    base = Path(tempfile.mkdtemp(prefix="scriptforge-pg-"))
    data_dir = base / "data"
    port = free_port()
    try:
        if IS_ROOT:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        subprocess.run(
            _as_postgres_user(
                [initdb, "-D", str(data_dir), "-A", "trust", "-U", "scriptforge", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres_user(
                [pg_ctl, "-D", str(data_dir), "-o", options, "-l", str(base / "log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(base, ignore_errors=True)
        output = (error.stderr or b"").decode(errors="replace")
        raise ServiceUnavailableError(f"could not start PostgreSQL: {output}") from error
    try:
        yield PostgresCluster("127.0.0.1", port)
    finally:
        subprocess.run(
            _as_postgres_user([pg_ctl, "-D", str(data_dir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


# --- Chromium --------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    *(["--no-sandbox"] if IS_ROOT else []),
]


def chromium_path() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        raise ServiceUnavailableError(f"{CHROMIUM} is missing (Debian package chromium)")
    return CHROMIUM

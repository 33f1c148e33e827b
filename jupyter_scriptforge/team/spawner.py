"""DockerSpawner for a ScriptForge team on one machine: each user's server is a container of
an interpreter's lab image (``images/lab.sh``), on the host's network, listening on a loopback
port of its own.

Host networking keeps every server on loopback without a Docker network (this machine's
rule for tests), but gives containers no network isolation from each other or the host:
production puts each user's container on its own (or an internal) Docker network instead,
with DockerSpawner's ordinary bridge settings (README, "Team mode").
"""

from __future__ import annotations

from typing import Any

from dockerspawner import DockerSpawner
from jupyterhub.utils import random_port
from traitlets import default


class LoopbackDockerSpawner(DockerSpawner):  # type: ignore[misc]  # untyped base
    @default("network_name")
    def _host_network(self) -> str:
        return "host"

    @default("ip")
    def _loopback(self) -> str:
        return "127.0.0.1"

    @default("use_internal_ip")
    def _internal_ip(self) -> bool:
        # docker-py refuses port bindings with the host network: the server's own port it is.
        return True

    async def start(self) -> Any:
        self.port = random_port()
        return await super().start()

    async def get_ip_and_port(self) -> tuple[str, int]:
        return self.ip, self.port

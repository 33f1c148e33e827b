"""DockerSpawner for a ScriptForge team on one machine: each user's server is a container of
an interpreter's lab image (``images/lab.sh``), on the host's network, listening on a loopback
port of its own.

Host networking keeps every server on loopback without a Docker network (this machine's
rule for tests), but gives containers no network isolation from each other or the host:
production puts each user's container on its own (or an internal) Docker network instead,
with DockerSpawner's ordinary bridge settings (README, "Team mode").
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from dockerspawner import DockerSpawner
from jupyterhub.utils import random_port
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from traitlets import default

# How often a starting server is asked whether it answers yet.
_READY_POLL_SECONDS = 0.05


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
        address = await super().start()
        if not self.internal_ssl:  # with TLS inside, the hub's own wait knows the certificates
            await self._answering()
        return address

    async def _answering(self) -> None:
        """Return once the server answers HTTP, asked every 50 ms. The hub then finds it up
        at its first try: its own wait backs off with jitter (up to 0.4, 0.8, 1.6 s...), which
        kept a user waiting up to a second after the server was up."""
        url = f"http://{self.ip}:{self.port}{self.server.base_url}api"
        client = AsyncHTTPClient()
        deadline = time.monotonic() + self.start_timeout
        checked_alive = time.monotonic()
        while time.monotonic() < deadline:
            try:
                response = await client.fetch(url, raise_error=False, request_timeout=5)
            except (OSError, HTTPClientError):  # not listening yet, or not answering yet
                response = None
            if response is not None and response.code < 500:
                return
            if time.monotonic() - checked_alive > 1:
                if await self.poll() is not None:
                    return  # the container ended: the hub's own wait reports it
                checked_alive = time.monotonic()
            await asyncio.sleep(_READY_POLL_SECONDS)

    async def get_ip_and_port(self) -> tuple[str, int]:
        return self.ip, self.port

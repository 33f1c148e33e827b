"""uv inside an interpreter's image, for an interpreter only an image has (PyPy here): it
resolves for that interpreter and installs wheels built for it, as images/build.sh does
for the language tools.

A container of the image runs this machine's uv binary with the host's network (to reach
the index) and the server's user id (what it installs is the server's to move and remove),
its requirements and output folders mounted, and nothing of the server's environment.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docker.errors import ContainerError, DockerException, ImageNotFound
from requests.exceptions import RequestException

from .._async import run_blocking
from ..execution.docker_engine import EngineUnavailableError, open_api
from ..lsp.tools import uv_executable
from .resolver import ResolutionError, pip_index_url, uv_words

_IN, _OUT, _CACHE, _UV = (
    "/scriptforge/in",
    "/scriptforge/out",
    "/scriptforge/uv-cache",
    "/usr/local/bin/uv",
)
_PYTHON = "scriptforge-python"  # every interpreter image's (images/README.md)
_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class ImageUv:
    """``cache_dir``: uv's cache on this machine, shared by the containers."""

    cache_dir: Path
    docker_url: str | None = None
    index_url: str | None = None

    async def resolve(self, image: str, requirements: Sequence[str]) -> list[str]:
        """Pins of ``requirements`` for the interpreter of ``image``."""
        return await run_blocking(self._resolve, image, requirements)

    async def install(self, image: str, pins: Sequence[str], target: Path) -> None:
        """Exactly ``pins`` into ``target``, built for the interpreter of ``image``."""
        await run_blocking(self._install, image, pins, target)

    def _resolve(self, image: str, requirements: Sequence[str]) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="scriptforge-resolve-") as folder:
            Path(folder, "requirements.in").write_text("\n".join(requirements) + "\n")
            command = ["pip", "compile", f"{_IN}/requirements.in", "-o", f"{_IN}/pins.txt"]
            command += ["--no-header", "--no-annotate"]
            self._uv(image, command, Path(folder), None)
            text = Path(folder, "pins.txt").read_text()
        return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]

    def _install(self, image: str, pins: Sequence[str], target: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="scriptforge-install-") as folder:
            Path(folder, "pins.txt").write_text("\n".join(pins) + "\n")
            command = ["pip", "install", "--target", _OUT, "--no-deps", "--compile-bytecode"]
            command += ["-r", f"{_IN}/pins.txt"]
            self._uv(image, command, Path(folder), target)

    def _uv(self, image: str, command: list[str], folder: Path, target: Path | None) -> None:
        """Run ``uv command`` in a container of ``image`` (blocking)."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        arguments = [_UV, *command, "--python", _PYTHON, "--quiet"]
        index = self.index_url or pip_index_url()
        if index:
            arguments += ["--index-url", index]
        volumes: dict[str, Mapping[str, str]] = {
            os.path.realpath(uv_executable()): {"bind": _UV, "mode": "ro"},
            str(folder): {"bind": _IN, "mode": "rw"},
            str(self.cache_dir): {"bind": _CACHE, "mode": "rw"},
        }
        if target is not None:
            volumes[str(target)] = {"bind": _OUT, "mode": "rw"}
        try:
            api = open_api(self.docker_url, timeout=_TIMEOUT_SECONDS)
        except EngineUnavailableError as error:
            raise ResolutionError(f"No Docker Engine to resolve in {image}: {error}") from None
        try:
            container = api.create_container(
                image,
                command=arguments,
                user=f"{os.getuid()}:{os.getgid()}",
                environment={"UV_CACHE_DIR": _CACHE, "HOME": "/tmp"},  # noqa: S108
                host_config=api.create_host_config(
                    binds=volumes,
                    network_mode="host",
                    cap_drop=["ALL"],
                    security_opt=["no-new-privileges"],
                ),
                labels={"org.jupyter.scriptforge.role": "dependencies"},
            )["Id"]
            try:
                api.start(container)
                status = api.wait(container, timeout=_TIMEOUT_SECONDS)["StatusCode"]
                if status != 0:
                    errors = api.logs(container, stdout=False, stderr=True).decode(errors="replace")
                    raise ResolutionError(uv_words(errors))
            finally:
                api.remove_container(container, force=True)
        except ImageNotFound:
            raise ResolutionError(
                f"The image {image} is not on this machine (make images)."
            ) from None
        except (ContainerError, DockerException, RequestException) as error:
            raise ResolutionError(f"Docker could not run uv in {image}: {error}") from None
        finally:
            api.close()

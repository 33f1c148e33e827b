"""uv, run for ScriptForge: resolving requirements into pins for an interpreter, and
installing pins into a folder.

uv runs outside any run's sandbox, with the network the server has, but not with the
server's environment: only what finds an index and reaches it (``PATH``, ``HOME``, proxy,
certificate and uv's own settings) goes in, so no token of the server's reaches a package's
build.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..lsp.tools import uv_executable

# What uv is given of the server's environment: how to find and reach an index.
_PASSED = ("PATH", "HOME", "LANG", "XDG_CONFIG_HOME", "SSL_CERT_FILE", "SSL_CERT_DIR")
_PASSED_PREFIXES = ("UV_", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")
_RESOLVE_TIMEOUT_SECONDS = 300.0
_INSTALL_TIMEOUT_SECONDS = 900.0


class ResolutionError(Exception):
    """uv could not resolve or install; the message is uv's own words."""


@dataclass(frozen=True)
class Resolver:
    """``index_url`` None: the index configured for uv (``UV_INDEX_URL``, ``uv.toml``) or
    pip (``PIP_INDEX_URL``, pip.conf) on this machine, else PyPI."""

    index_url: str | None = None
    # uv's cache; None: uv's own (``UV_CACHE_DIR``, else the user's cache folder).
    cache_dir: Path | None = None

    async def resolve(self, python: str, requirements: Sequence[str]) -> list[str]:
        """Pins (``name==version`` lines) of ``requirements`` and what they need, for the
        interpreter ``python``."""
        output = await self._uv(
            ["pip", "compile", "-", "--python", python, "--no-header", "--no-annotate"],
            stdin="\n".join(requirements) + "\n",
            seconds=_RESOLVE_TIMEOUT_SECONDS,
        )
        return [
            line.strip()
            for line in output.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]

    async def install(self, python: str, pins: Sequence[str], target: Path) -> None:
        """Exactly ``pins`` (no more: they are the whole resolution) into ``target``, with
        their bytecode compiled there, since runs cannot write it."""
        command = ["pip", "install", "--python", python, "--target", str(target)]
        command += ["--no-deps", "--compile-bytecode", "-r", "-"]
        await self._uv(command, stdin="\n".join(pins) + "\n", seconds=_INSTALL_TIMEOUT_SECONDS)

    async def _uv(self, arguments: list[str], stdin: str, seconds: float) -> str:
        command = [uv_executable(), *arguments, "--quiet"]
        if self.cache_dir is not None:
            command += ["--cache-dir", str(self.cache_dir)]
        index = self.index_url or pip_index_url()
        if index:
            command += ["--index-url", index]
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=_uv_environment(),
            # Its own group: a server stopped mid-build takes no half-done uv with it.
            start_new_session=True,
        )
        try:
            output, errors = await asyncio.wait_for(process.communicate(stdin.encode()), seconds)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise ResolutionError(f"uv took longer than {seconds:.0f} s") from None
        if process.returncode != 0:
            raise ResolutionError(uv_words(errors.decode(errors="replace")))
        return output.decode()


def _uv_environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if name in _PASSED or name.startswith(_PASSED_PREFIXES) or name.lower().endswith("_proxy")
    }


def pip_index_url() -> str | None:
    """The index pip is told to use on this machine, when uv is told none."""
    if any(name in os.environ for name in ("UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX")):
        return None  # uv reads its own
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    import configparser

    found = None
    home = Path.home()
    for path in (
        Path("/etc/pip.conf"),
        Path("/etc/xdg/pip/pip.conf"),
        home / ".pip/pip.conf",
        home / ".config/pip/pip.conf",
    ):
        config = configparser.ConfigParser()
        try:
            config.read(path)
        except (OSError, configparser.Error):
            continue
        found = config.get("global", "index-url", fallback=found)
    return found


def uv_words(text: str) -> str:
    """uv's message without its progress lines: what the user reads in the run."""
    lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-12:]) or "uv failed without a message"

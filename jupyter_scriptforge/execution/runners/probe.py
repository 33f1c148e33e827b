"""Asking an interpreter what it is: one short run of it, outside any sandbox.

``-I -S``: nothing of the environment, the user's site or the interpreter's site-packages
(their ``.pth`` files) runs in the server's name; only the standard library answers.
"""

from __future__ import annotations

import asyncio

_PROBE = "import platform; print(platform.python_implementation(), platform.python_version())"
_PROBE_TIMEOUT_SECONDS = 10.0


async def probe_interpreter(path: str) -> tuple[str, str] | None:
    """(implementation, version) of the interpreter at ``path``, or None if it does not
    answer as a Python would within a few seconds."""
    try:
        process = await asyncio.create_subprocess_exec(
            path,
            "-I",
            "-S",
            "-c",
            _PROBE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            stdin=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        return None
    try:
        stdout, _ = await asyncio.wait_for(process.communicate(), _PROBE_TIMEOUT_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
        return None
    parts = stdout.decode(errors="replace").split()
    if process.returncode != 0 or len(parts) != 2:
        return None
    return parts[0], parts[1]

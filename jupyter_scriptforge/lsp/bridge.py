"""The process jupyter-lsp starts for ScriptForge's language server: it joins its stdin and
stdout to the router inside the Jupyter server (its parent), over that server's socket.

Standard library only, run with ``python -I -S``: it starts in milliseconds and copies bytes.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
import threading
import time

_CONNECT_SECONDS = 30.0


def socket_path(server_pid: int) -> str:
    """Where the router of the Jupyter server ``server_pid`` listens: a folder only this
    user may enter (a socket path is limited to about 100 bytes, so not the runtime dir)."""
    folder = os.path.join(tempfile.gettempdir(), f"scriptforge-lsp-{os.getuid()}")
    return os.path.join(folder, f"{server_pid}.sock")


def _connect(path: str) -> socket.socket:
    deadline = time.monotonic() + _CONNECT_SECONDS
    while True:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(path)
            return connection
        except OSError:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # the server may still be starting ScriptForge


def _copy_in(connection: socket.socket) -> None:
    """The editor's messages (stdin) to the router; at their end, say so and stop."""
    stdin = sys.stdin.fileno()
    try:
        while data := os.read(stdin, 65536):
            connection.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_WR)


def main() -> int:
    try:
        connection = _connect(socket_path(os.getppid()))
    except OSError as error:
        print(f"scriptforge lsp bridge: no router to connect to: {error}", file=sys.stderr)
        return 1
    threading.Thread(target=_copy_in, args=(connection,), daemon=True).start()
    stdout = sys.stdout.fileno()
    try:
        while data := connection.recv(65536):
            view = memoryview(data)
            while view:
                view = view[os.write(stdout, view) :]
    except OSError:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

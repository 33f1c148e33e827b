"""SIGINT as a request to stop, for a server without a terminal.

jupyter_server takes SIGINT as "stop?" only when its stdin is a terminal; otherwise the
interrupt ends the event loop at once and no extension's stop runs. JupyterHub stops its
services (the team's ScriptForge service) and local servers with SIGINT, with no terminal:
runs were left unmarked, and their containers and the language servers behind, until the
next start cleaned up.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def stop_on_interrupt(serverapp: Any) -> None:
    """Let SIGINT stop ``serverapp`` as SIGTERM does, unless someone already handles it
    (jupyter_server's prompt at a terminal, a program embedding the server)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, serverapp._signal_stop)


def restore_interrupt(serverapp: Any) -> None:
    """Give SIGINT back once ``serverapp`` stopped (an embedding program lives on)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) == serverapp._signal_stop:
        signal.signal(signal.SIGINT, signal.default_int_handler)

"""Which sandbox the local runner can have on this machine, and how to say so to a user."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Literal

from .base import RunnerUnavailableError

Isolation = Literal["bwrap", "bwrap-unprivileged", "process"]

# bwrap and setpriv start as root: they get nothing from the server's environment.
LAUNCHER_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"

_SUMMARIES: dict[Isolation, str] = {
    "bwrap": "bubblewrap sandbox: own namespaces, read-only files, a user id per run",
    "bwrap-unprivileged": (
        "bubblewrap sandbox in a user namespace: own namespaces, read-only files, "
        "the server's user id outside"
    ),
    "process": "plain process group: runs as the server's user and can reach what it can",
}


@dataclass(frozen=True)
class SandboxReport:
    """What ``GET health`` says of one runner's isolation."""

    runner: str
    isolation: str
    summary: str
    advice: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "runner": self.runner,
            "isolation": self.isolation,
            "summary": self.summary,
            "advice": list(self.advice),
        }


def tool(name: str) -> str | None:
    """A launcher's absolute path: the ones that run as root never search the user's PATH."""
    return shutil.which(name, path=LAUNCHER_PATH)


def user_namespaces_work(bwrap: str) -> bool:
    """Whether bubblewrap can make a user namespace here (a kernel or distribution setting,
    or a container's seccomp profile, may refuse). Blocking: runs bwrap once."""
    try:
        probe = subprocess.run(
            [bwrap, "--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "--", "/bin/true"],
            env={"PATH": LAUNCHER_PATH},
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def choose_isolation(preferred: str = "auto") -> Isolation:
    """The strongest isolation that works here, or ``preferred`` if it does (blocking).

    ``preferred``: ``auto``, ``bwrap`` (the strongest bubblewrap mode, or an error) or
    ``process``.
    """
    if preferred == "process":
        return "process"
    bwrap = tool("bwrap")
    if bwrap is not None and os.geteuid() == 0 and tool("setpriv"):
        return "bwrap"
    if bwrap is not None and user_namespaces_work(bwrap):
        return "bwrap-unprivileged"
    if preferred == "bwrap":
        raise RunnerUnavailableError(
            "The bwrap sandbox needs bubblewrap and either root or unprivileged user namespaces."
        )
    return "process"


def describe(isolation: Isolation) -> SandboxReport:
    """The isolation in words, and what would make it stronger, for the health report."""
    advice: list[str] = []
    bwrap = tool("bwrap")
    if isolation == "process" and bwrap is None:
        advice.append(
            "Install bubblewrap (apt-get install bubblewrap, or make lab as root) for a "
            "sandbox with its own namespaces and a read-only view of the files."
        )
    elif isolation == "process":
        advice.append(
            "bubblewrap is installed but cannot create a user namespace here: allow "
            "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or "
            "the AppArmor rule for bwrap on Ubuntu), or start the server as root."
        )
    if isolation == "process" and os.geteuid() == 0:
        advice.append("Scripts run as root: do not use this server with untrusted scripts.")
    if isolation == "bwrap-unprivileged":
        advice.append(
            "Start the server as root to give each run a user id of its own (the sandbox "
            "then also keeps runs from files the server's user may read)."
        )
    return SandboxReport("local", isolation, _SUMMARIES[isolation], advice)

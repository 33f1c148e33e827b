"""Users' servers on the test hub: started as the spawn page starts them, and code run
inside their containers."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from typing import Any

from tests.hub_process import HubProcess

LAB_IMAGE = "scriptforge/lab:3.11"


def spawn(hub: HubProcess, user: str, image: str = "CPython 3.11") -> tuple[Any, str, float]:
    """Start ``user``'s server as the spawn page does, of ``image`` (the spawn form's
    choice) unless it runs already; → (session, xsrf, seconds)."""
    opener, xsrf = hub.login(user)
    started = time.monotonic()
    if _ready(opener, hub, user):  # started by an earlier test
        opener.open(f"{hub.url}/user/{user}/lab", timeout=60).read()
        return opener, xsrf, 0.0
    request = urllib.request.Request(
        f"{hub.url}/hub/api/users/{user}/server",
        data=json.dumps({"image": image}).encode(),
        headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"},
        method="POST",
    )
    opener.open(request, timeout=120).read()  # 201 started, or 202 still starting
    deadline = time.monotonic() + 120
    while not _ready(opener, hub, user):
        assert time.monotonic() < deadline, f"{user}'s server did not start in 120 s"
        time.sleep(0.2)
    # The Lab, as a browser opens it: the server's own login (OAuth) on the way.
    opener.open(f"{hub.url}/user/{user}/lab", timeout=60).read()
    return opener, xsrf, time.monotonic() - started


def _ready(opener: Any, hub: HubProcess, user: str) -> bool:
    model = json.loads(opener.open(f"{hub.url}/hub/api/users/{user}", timeout=30).read())
    return bool(model["servers"].get("", {}).get("ready"))


def inside(hub: HubProcess, user: str, code: str) -> dict[str, Any]:
    """Run Python ``code`` in the user's container as the user; its last line is JSON."""
    done = subprocess.run(
        ["docker", "exec", f"{hub.container_prefix}-{user}", "python3", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def container_exists(hub: HubProcess, user: str) -> bool:
    found = subprocess.run(
        ["docker", "ps", "-a", "-q", "--filter", f"name=^{hub.container_prefix}-{user}$"],
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(found.stdout.strip())


def stop_server(hub: HubProcess, user: str, within: float = 60) -> None:
    """Stop ``user``'s server as the hub's home page does; wait until its container is gone."""
    opener, xsrf = hub.login(user)
    request = urllib.request.Request(
        f"{hub.url}/hub/api/users/{user}/server",
        headers={"X-XSRFToken": xsrf},
        method="DELETE",
    )
    opener.open(request, timeout=120).read()  # 202 or 204: both mean stopped or stopping
    deadline = time.monotonic() + within
    while container_exists(hub, user) and time.monotonic() < deadline:
        time.sleep(0.5)

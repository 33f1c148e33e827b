"""A real JupyterHub (hub_config/jupyterhub_config.py) with ScriptForge's service, on free
loopback ports, and its users' tokens obtained as a user gets them: log in, then ask."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests import language_tools
from tests.assistant.jupyter_ai import write_config
from tests.services import ServiceUnavailableError, free_port, stop

REPO = Path(__file__).resolve().parent.parent
HUB_CONFIG = REPO / "hub_config" / "jupyterhub_config.py"
SERVICE = "/services/scriptforge/scriptforge/api/"
FINAL_RUN_STATES = {"succeeded", "failed", "cancelled", "timed_out", "interrupted"}


@dataclass
class HubProcess:
    url: str
    container_prefix: str
    # The service's name on its runs and their containers (ScriptForgeApp.runs_instance).
    runs_instance: str
    password: str
    log_path: Path
    process: subprocess.Popen[bytes]
    _tokens: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def login(self, user: str) -> tuple[urllib.request.OpenerDirector, str]:
        """A browser-like session of ``user`` after the login form: (opener, _xsrf)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{self.url}/hub/login", timeout=30).read()
        form = {"username": user, "password": self.password, "_xsrf": _xsrf(jar)}
        opener.open(
            f"{self.url}/hub/login?next=%2Fhub%2Fhome",
            urllib.parse.urlencode(form).encode(),
            timeout=30,
        ).read()
        return opener, _xsrf(jar)

    def token(self, user: str) -> str:
        """An API token of ``user``, with all of that user's own scopes (as from the hub's
        token page)."""
        if user not in self._tokens:
            opener, xsrf = self.login(user)
            request = urllib.request.Request(
                f"{self.url}/hub/api/users/{user}/tokens",
                data=json.dumps({"note": "tests", "expires_in": 3600}).encode(),
                headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"},
                method="POST",
            )
            self._tokens[user] = json.loads(opener.open(request, timeout=30).read())["token"]
        return self._tokens[user]

    def call(
        self,
        token: str | None,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, Any] | None = None,
        prefix: str = SERVICE,
    ) -> tuple[int, Any]:
        """``method`` on the service's ``path`` (below scriptforge/api/, or below
        ``prefix``): (status, body)."""
        url = f"{self.url}{prefix}{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"token {token}"
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in ("POST", "PATCH"):
            data = b"{}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, _body(response.read(), response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _body(error.read(), error.headers)

    def hub_api(self, token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """``method`` on the hub's own REST API (``/hub/api/<path>``)."""
        return self.call(token, method, path, body, prefix="/hub/api/")

    # --- the service as a user's scripts see it ------------------------------------

    def new_script(self, token: str, name: str, content: str) -> int:
        status, script = self.call(token, "POST", "scripts", {"name": name, "content": content})
        assert status == 201, script
        return int(script["id"])

    def start_run(self, token: str, script_id: int) -> int:
        status, run = self.call(token, "POST", "runs", {"script_id": script_id, "source": "head"})
        assert status in (200, 201, 202), run
        return int(run["id"])

    def run_in(
        self, token: str, run_id: int, states: set[str], within: float = 90
    ) -> dict[str, Any]:
        """The run once its status is one of ``states``."""
        deadline = time.monotonic() + within
        while True:
            run = self.call(token, "GET", f"runs/{run_id}")[1]
            if run["status"] in states:
                return run  # type: ignore[no-any-return]
            assert time.monotonic() < deadline, f"run {run_id} never got to {states}: {run}"
            time.sleep(0.2)

    def finished(self, token: str, run_id: int, within: float = 90) -> dict[str, Any]:
        return self.run_in(token, run_id, FINAL_RUN_STATES, within)

    def output(self, token: str, run_id: int) -> str:
        pieces = self.call(token, "GET", f"runs/{run_id}/output")[1]["pieces"]
        return "".join(piece["text"] for piece in pieces)


def _xsrf(jar: http.cookiejar.CookieJar) -> str:
    # The hub sets a new _xsrf cookie at login: the last one is the user's.
    return [cookie.value for cookie in jar if cookie.name == "_xsrf"][-1] or ""


def _body(data: bytes, headers: Any) -> Any:
    if headers.get("Content-Type", "").startswith("application/json") and data:
        return json.loads(data)
    return data.decode(errors="replace")


def hub_available() -> None:
    """Raise ServiceUnavailableError unless JupyterHub and its proxy can start here."""
    proxy = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists() and shutil.which("configurable-http-proxy") is None:
        raise ServiceUnavailableError("configurable-http-proxy is not installed (jlpm install)")
    try:
        import jupyterhub  # noqa: F401
    except ImportError as error:
        raise ServiceUnavailableError(f"JupyterHub is not installed: {error}") from None


@contextlib.contextmanager
def running_hub(
    work_dir: Path,
    users: dict[str, str],
    db_url: str | None = None,
    service_settings: dict[str, Any] | None = None,
    hub_env: dict[str, str] | None = None,
) -> Iterator[HubProcess]:
    """Start the team's JupyterHub in ``work_dir``; ``users`` maps names to roles (author,
    viewer, admin, or none: may log in, holds no ScriptForge role); ``service_settings``:
    ScriptForgeApp settings of the service over hub_config's; ``hub_env``: more of
    jupyterhub_config.py's ``SCRIPTFORGE_*`` variables."""
    hub_available()
    password = "correct horse battery staple"
    service_config = work_dir / "service_config.py"
    runs_instance = f"pytest-hub-{os.getpid()}-{work_dir.name}"
    ai_config = write_config(work_dir / "jupyter_ai" / "config.json")
    service_config.write_text(
        f"load_subconfig({str(REPO / 'hub_config' / 'scriptforge_service_config.py')!r})\n"
        f"c.ConfigManager.config_path = {str(ai_config)!r}\n"
        f"c.ScriptForgeApp.runs_instance = {runs_instance!r}\n"
        + "".join(
            f"c.ScriptForgeApp.{name} = {value!r}\n"
            for name, value in {**language_tools.SETTINGS, **(service_settings or {})}.items()
        )
    )
    ports = {name: free_port() for name in ("hub", "api", "proxy", "service")}
    by_role = {
        role: ",".join(sorted(name for name, held in users.items() if held == role))
        for role in ("author", "viewer", "admin")
    }
    env = {
        **os.environ,
        "SCRIPTFORGE_HUB_STATE": str(work_dir / "state"),
        "SCRIPTFORGE_HUB_PASSWORD": password,
        "SCRIPTFORGE_HUB_URL": f"http://127.0.0.1:{ports['hub']}",
        "SCRIPTFORGE_HUB_API_URL": f"http://127.0.0.1:{ports['api']}",
        "SCRIPTFORGE_PROXY_API_URL": f"http://127.0.0.1:{ports['proxy']}",
        "SCRIPTFORGE_SERVICE_URL": f"http://127.0.0.1:{ports['service']}",
        "SCRIPTFORGE_SERVICE_CONFIG": str(service_config),
        "SCRIPTFORGE_AUTHORS": by_role["author"],
        "SCRIPTFORGE_VIEWERS": by_role["viewer"],
        "SCRIPTFORGE_ADMINS": by_role["admin"],
        "SCRIPTFORGE_OTHER_USERS": ",".join(n for n, r in users.items() if r == "none"),
        "SCRIPTFORGE_DB_URL": db_url or f"sqlite:///{work_dir / 'scriptforge.sqlite'}",
        # This hub's containers and volumes alone: removed when it stops.
        "SCRIPTFORGE_CONTAINER_PREFIX": f"sftest{os.getpid()}-{work_dir.name}",
        **(hub_env or {}),
    }
    log_path = work_dir / "jupyterhub.log"
    command = [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(HUB_CONFIG)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=work_dir, stdout=log, stderr=subprocess.STDOUT, env=env
        )
    hub = HubProcess(
        env["SCRIPTFORGE_HUB_URL"],
        env["SCRIPTFORGE_CONTAINER_PREFIX"],
        runs_instance,
        password,
        log_path,
        process,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited:\n{hub.log()}")
            # The service answers its users once it is up (403 without a token).
            try:
                status, _ = hub.call(None, "GET", "health")
            except OSError:
                status = 0  # the proxy is not listening yet
            if status in (401, 403):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the ScriptForge service did not answer:\n{hub.log()}")
            time.sleep(0.5)
        yield hub
    finally:
        stop(process, timeout=60)
        _kill_left_behind(str(service_config))
        _remove_docker_leftovers(env["SCRIPTFORGE_CONTAINER_PREFIX"])


def _kill_left_behind(marker: str) -> None:
    """The service, if it outlived its hub (a hub killed, or a service that would not stop)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _remove_docker_leftovers(prefix: str) -> None:
    """The containers and volumes of a hub's users (a hub killed leaves them behind)."""
    if shutil.which("docker") is None:
        return
    for kind, listing in (
        ("container", ["docker", "ps", "-aq", "--filter", f"name=^{prefix}-"]),
        ("volume", ["docker", "volume", "ls", "-q", "--filter", f"name=^{prefix}-user-"]),
    ):
        found = subprocess.run(listing, capture_output=True, text=True).stdout.split()
        if found:
            subprocess.run(["docker", kind, "rm", "-f", *found], capture_output=True)

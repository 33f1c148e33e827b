"""JupyterHub for a ScriptForge team: `make hub` starts it; copy and edit it for your team.

What it sets up (docs/ARCHITECTURE.md, "Team mode"):

- ScriptForge's rights as JupyterHub custom scopes (``custom:scriptforge:read|write|run|
  assistant|admin``) and three roles that grant them: viewer, author, admin;
- ScriptForge itself as one hub-managed service (``/services/scriptforge/``): a Jupyter
  server running the extension's catalog, versions, runs, assistant, audit and holds, which
  alone holds the store's credentials. Users reach it with their own hub login (OAuth), and
  each request carries the scopes of that user's token, which the services check;
- a quick-start login (JupyterHub's dummy authenticator with one shared password) for the
  users named below. Replace it before anyone else can reach the hub (README, "Team mode").

Everything a test or `make hub` varies comes from the environment (``SCRIPTFORGE_*``), so
this file stays the one a team edits.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - JupyterHub's config loader

CHECKOUT = Path(__file__).resolve().parent.parent


def _names(variable: str, default: str) -> list[str]:
    return [name.strip() for name in os.environ.get(variable, default).split(",") if name.strip()]


# --- where it listens: loopback only, as a quick start ---------------------------------
c.JupyterHub.bind_url = os.environ.get("SCRIPTFORGE_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("SCRIPTFORGE_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get(
    "SCRIPTFORGE_PROXY_API_URL", "http://127.0.0.1:8001"
)
_proxy = CHECKOUT / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    str(_proxy)
    if _proxy.exists()
    else shutil.which("configurable-http-proxy") or "configurable-http-proxy"
]
# The hub's own state (its database, cookie secret) in one folder.
STATE = Path(os.environ.get("SCRIPTFORGE_HUB_STATE", CHECKOUT / ".hub"))
STATE.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# --- who logs in: a quick start with one shared password --------------------------------
AUTHORS = _names("SCRIPTFORGE_AUTHORS", "alice,bob")
VIEWERS = _names("SCRIPTFORGE_VIEWERS", "")
ADMINS = _names("SCRIPTFORGE_ADMINS", "admin")
# Users who may log in to the hub without any ScriptForge role.
OTHERS = _names("SCRIPTFORGE_OTHER_USERS", "")
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("SCRIPTFORGE_HUB_PASSWORD", "")
c.Authenticator.allowed_users = set(AUTHORS + VIEWERS + ADMINS + OTHERS)
c.Authenticator.admin_users = set(ADMINS)

# --- each user's server: a container of an interpreter's lab image -----------------------
c.JupyterHub.spawner_class = "jupyter_scriptforge.team.spawner.LoopbackDockerSpawner"
LAB_IMAGES = {
    "CPython 3.11": "scriptforge/lab:3.11",
    "CPython 3.13": "scriptforge/lab:3.13",
    "PyPy 3": "scriptforge/lab:pypy-3",
}
c.DockerSpawner.allowed_images = LAB_IMAGES  # offered as a choice at spawn
c.DockerSpawner.pull_policy = "never"  # built here by images/lab.sh, never pulled
c.DockerSpawner.cmd = ["jupyterhub-singleuser"]
c.DockerSpawner.remove = True  # a stopped server leaves no container; the volume stays
HOME = "/home/runner"
# Containers are <prefix>-<user>, volumes <prefix>-user-<user>.
CONTAINERS = os.environ.get("SCRIPTFORGE_CONTAINER_PREFIX", "scriptforge")
c.DockerSpawner.prefix = CONTAINERS
c.DockerSpawner.notebook_dir = HOME
# Mounted at the home folder itself, so Docker seeds it with the user's ownership.
c.DockerSpawner.volumes = {f"{CONTAINERS}-user-{{username}}": HOME}
c.DockerSpawner.mem_limit = os.environ.get("SCRIPTFORGE_USER_MEMORY", "1G")
c.DockerSpawner.cpu_limit = float(os.environ.get("SCRIPTFORGE_USER_CPUS", "1"))
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60

# --- ScriptForge's rights as scopes, and the roles that grant them ----------------------
SERVICE = "scriptforge"
READ, WRITE, RUN, ASSISTANT, ADMIN = (
    f"custom:scriptforge:{right}" for right in ("read", "write", "run", "assistant", "admin")
)
c.JupyterHub.custom_scopes = {
    READ: {"description": "See team scripts and your own, their versions, your runs and groups."},
    WRITE: {
        "description": "Create scripts and change those you see; delete or share your own.",
        "subscopes": [READ],
    },
    RUN: {"description": "Run scripts and groups, and cancel your runs.", "subscopes": [READ]},
    ASSISTANT: {"description": "Ask ScriptForge's assistant.", "subscopes": [READ]},
    ADMIN: {
        "description": "Everything, plus overriding guardrail holds and reading the audit log.",
        "subscopes": [WRITE, RUN, ASSISTANT],
    },
}
REACH = f"access:services!service={SERVICE}"
# Each role is granted to a group of the same name (plural): a hub admin moves people in and
# out of them on the hub's admin page, and the change holds from their next request (and a
# schedule's next fire) on. The lists above fill the groups at start.
c.JupyterHub.load_groups = {
    "scriptforge-viewers": {"users": VIEWERS},
    "scriptforge-authors": {"users": AUTHORS},
    "scriptforge-admins": {"users": ADMINS},
}
c.JupyterHub.load_roles = [
    {"name": "scriptforge-viewer", "scopes": [READ, REACH], "groups": ["scriptforge-viewers"]},
    {
        "name": "scriptforge-author",
        "scopes": [WRITE, RUN, ASSISTANT, REACH],
        "groups": ["scriptforge-authors"],
    },
    {"name": "scriptforge-admin", "scopes": [ADMIN, REACH], "groups": ["scriptforge-admins"]},
    # The service asks the hub whether a schedule's owner may still run scripts when it
    # fires: a token of that scope alone, which the hub refuses to whoever lost it
    # (schedules/owners.py); the token is deleted at once. Only for the members of the
    # groups that grant the run right: anyone else has none to check.
    {
        "name": "scriptforge-service",
        "scopes": ["tokens!group=scriptforge-authors", "tokens!group=scriptforge-admins"],
        "services": [SERVICE],
    },
]

# Each user's own server (their container) reaches the service with its own token: the
# hub gives that token the subset of these scopes the user holds, never more.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    REACH,
    READ,
    WRITE,
    RUN,
    ASSISTANT,
    ADMIN,
]

# --- ScriptForge, the one service that holds the store --------------------------------
SERVICE_URL = os.environ.get("SCRIPTFORGE_SERVICE_URL", "http://127.0.0.1:8010")
# The store: PostgreSQL for a team (`make hub` starts a throwaway one unless
# SCRIPTFORGE_DB_URL names one); the credentials stay in this process's environment and the
# service's, never in a user's container.
service_env = {
    "SCRIPTFORGE_DB_URL": os.environ.get(
        "SCRIPTFORGE_DB_URL", f"sqlite:///{STATE / 'scriptforge.sqlite'}"
    ),
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "JUPYTER_CONFIG_DIR": str(STATE / "service-config"),
    "PATH": os.environ.get("PATH", ""),
}
for passed in ("JUPYTER_CONFIG_PATH", "PYTHONPATH", "HOME"):
    if passed in os.environ:
        service_env[passed] = os.environ[passed]
# The service's Jupyter configuration; a deployment (or a test) may name its own.
SERVICE_CONFIG = os.environ.get(
    "SCRIPTFORGE_SERVICE_CONFIG", str(Path(__file__).with_name("scriptforge_service_config.py"))
)
SERVICE_ROOT = STATE / "service-root"
SERVICE_ROOT.mkdir(exist_ok=True)
# Users' servers find the service here (directly, not through the proxy).
c.DockerSpawner.environment = {"SCRIPTFORGE_SERVICE_URL": f"{SERVICE_URL}/services/{SERVICE}/"}
c.JupyterHub.services = [
    {
        "name": SERVICE,
        "url": SERVICE_URL,
        # jupyterhub-singleuser as a service: hub OAuth for every request, the user's scopes
        # on each (``current_user.hub_user["scopes"]``).
        "command": [
            sys.executable,
            "-m",
            "jupyterhub.singleuser",
            f"--config={SERVICE_CONFIG}",
            f"--ServerApp.root_dir={SERVICE_ROOT}",
            *(["--allow-root"] if os.getuid() == 0 else []),
        ],
        "cwd": str(SERVICE_ROOT),
        "environment": service_env,
        # A user's token for the service carries only ScriptForge's scopes (each user's
        # share of them).
        "oauth_client_allowed_scopes": [READ, WRITE, RUN, ASSISTANT, ADMIN],
        "oauth_no_confirm": True,
        "display": False,
    }
]

# --- idle servers: stopped, and so their containers removed, after a while unused --------
# jupyterhub-idle-culler asks the hub which servers have been idle longer than this and
# stops them (the user's volume stays). 0 keeps idle servers running.
CULL_AFTER_SECONDS = int(os.environ.get("SCRIPTFORGE_CULL_IDLE_SECONDS", "3600"))
if CULL_AFTER_SECONDS > 0:
    c.JupyterHub.services.append(
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={CULL_AFTER_SECONDS}",
            ],
        }
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )

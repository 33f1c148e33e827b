"""`make hub`: JupyterHub for a team on this machine, with what it needs started first.

- the store: PostgreSQL at ``SCRIPTFORGE_DB_URL``, or else a cluster of its own in
  ``.hub/postgres`` (kept between starts, on a loopback port, started and stopped here);
- the quick-start login: the users of jupyterhub_config.py and one shared password
  (``SCRIPTFORGE_HUB_PASSWORD``, or one made once and kept in ``.hub/password``), printed;
- then ``jupyterhub -f hub_config/jupyterhub_config.py`` until Ctrl-C.

Run as root on a machine prepared by ``make hub`` (images built, Docker Engine running).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("SCRIPTFORGE_HUB_STATE", HERE.parent / ".hub"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"make hub: {name} is not installed (apt-get install postgresql)")
    return found


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def _own_postgres() -> Iterator[str]:
    folder = STATE / "postgres"
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    if not data.exists():
        subprocess.run(
            _as_postgres(
                [_postgres_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "scriptforge"]
            ),
            check=True,
            capture_output=True,
        )
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    pg_ctl = _postgres_bin("pg_ctl")
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [
                _postgres_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "scriptforge",
                "scriptforge",
            ],
            capture_output=True,
        )  # already there after the first start
        yield f"postgresql+psycopg://scriptforge@127.0.0.1:{port}/scriptforge"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "stop"]), capture_output=True
        )


def _password() -> str:
    if os.environ.get("SCRIPTFORGE_HUB_PASSWORD"):
        return os.environ["SCRIPTFORGE_HUB_PASSWORD"]
    kept = STATE / "password"
    if not kept.exists():
        kept.write_text(secrets.token_urlsafe(12))
        kept.chmod(0o600)
    return kept.read_text().strip()


def main() -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    os.environ["SCRIPTFORGE_HUB_PASSWORD"] = _password()
    with contextlib.ExitStack() as stack:
        if not os.environ.get("SCRIPTFORGE_DB_URL"):
            os.environ["SCRIPTFORGE_DB_URL"] = stack.enter_context(_own_postgres())
        url = os.environ.get("SCRIPTFORGE_HUB_URL", "http://127.0.0.1:8000")
        users = {
            "authors": os.environ.get("SCRIPTFORGE_AUTHORS", "alice,bob"),
            "viewers": os.environ.get("SCRIPTFORGE_VIEWERS", "") or "(none)",
            "admins": os.environ.get("SCRIPTFORGE_ADMINS", "admin"),
        }
        print(f"\nScriptForge for a team: {url}")
        for role, names in users.items():
            print(f"  {role}: {names}")
        print(f"  password (all of them): {os.environ['SCRIPTFORGE_HUB_PASSWORD']}\n", flush=True)
        hub = [
            str(Path(sys.executable).with_name("jupyterhub")),
            "-f",
            str(HERE / "jupyterhub_config.py"),
        ]
        process = subprocess.Popen(hub)
        try:
            process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()

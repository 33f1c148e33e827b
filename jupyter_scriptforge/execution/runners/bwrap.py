"""The bubblewrap command line of one run: namespaces, the file system view, the identity."""

from __future__ import annotations

import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Inside the sandbox: the working directory on the run's own tmpfs.
SANDBOX_TMP = "/tmp"  # noqa: S108 - a fresh tmpfs of the sandbox's own
SANDBOX_WORK = f"{SANDBOX_TMP}/work"
# Earlier runs' kept output, one read-only folder each (a group's later items).
SANDBOX_INPUTS = f"{SANDBOX_TMP}/inputs"
# Who the script is inside a user namespace (unprivileged mode); the Docker runner's too.
NAMESPACE_UID = 1000
RUN_USER = "scriptforge"


@dataclass(frozen=True)
class SandboxFiles:
    """Descriptors bwrap copies into the sandbox: the script (none for a warm sandbox,
    whose launcher writes it) and its user's identity."""

    script: int | None
    passwd: int
    group: int


def bwrap_options(
    *,
    unprivileged: bool,
    uid: int,
    hiding: Sequence[str],
    files: SandboxFiles,
    script_name: str,
    tmp_bytes: int,
    environment: dict[str, str],
    network: bool = True,
    inputs: Mapping[str, str] | None = None,
) -> list[str]:
    """Everything bwrap needs before the command it runs (which follows ``--``);
    ``inputs``: host folders bound read-only below SANDBOX_INPUTS, by name."""
    setenv = [arg for name, value in environment.items() for arg in ("--setenv", name, value)]
    script = (
        ["--perms", "0644", "--file", str(files.script), f"{SANDBOX_WORK}/{script_name}"]
        if files.script is not None
        else []
    )
    user = (
        # Inside a user namespace the script is an ordinary user with no capabilities,
        # and cannot make another namespace to get some back.
        ["--unshare-user", "--disable-userns", "--uid", str(uid), "--gid", str(uid)]
        if unprivileged
        else []
    )
    return [
        "--die-with-parent",
        "--new-session",
        *user,
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        *([] if network else ["--unshare-net"]),
        "--ro-bind", "/", "/",
        "--proc", "/proc",
        "--dev", "/dev",
        # Its own shared memory (multiprocessing's locks and queues live there).
        "--size", str(tmp_bytes), "--perms", "1777", "--tmpfs", "/dev/shm",  # noqa: S108
        "--size", str(tmp_bytes), "--perms", "1777", "--tmpfs", SANDBOX_TMP,
        # After the run's own /tmp: an interpreter living under /tmp is bound back too.
        *hiding,
        # A name for the run's user id, so getpass.getuser() and pwd lookups resolve.
        "--perms", "0644", "--ro-bind-data", str(files.passwd), "/etc/passwd",
        "--perms", "0644", "--ro-bind-data", str(files.group), "/etc/group",
        "--perms", "0777", "--dir", SANDBOX_WORK,
        *script,
        # bwrap would make the folder 0700, closed to the script's user.
        *(["--perms", "0755", "--dir", SANDBOX_INPUTS] if inputs else []),
        *[arg for name, folder in (inputs or {}).items()
          for arg in ("--ro-bind", folder, f"{SANDBOX_INPUTS}/{name}")],
        "--chdir", SANDBOX_WORK,
        "--clearenv", *setenv,
    ]  # fmt: skip


def identity(passwd: str, group: str, uid: int) -> tuple[str, str]:
    """``/etc/passwd`` and ``/etc/group`` with the run's user in place of any holder of its id."""
    entry = f"{RUN_USER}:x:{uid}:{uid}:ScriptForge run:{SANDBOX_WORK}:/usr/sbin/nologin\n"
    group_entry = f"{RUN_USER}:x:{uid}:\n"
    return _replace_id(passwd, uid, 2) + entry, _replace_id(group, uid, 2) + group_entry


def _replace_id(table: str, uid: int, column: int) -> str:
    kept = [
        line
        for line in table.splitlines()
        if line.split(":")[column : column + 1] != [str(uid)]
        and not line.startswith(f"{RUN_USER}:")
    ]
    return "".join(f"{line}\n" for line in kept)


def hiding_options(
    hidden: Sequence[str], prefixes: Sequence[Path], replaced: Sequence[Path] = ()
) -> list[str]:
    """bwrap options that hide ``hidden`` folders but keep the interpreter's ``prefixes``.

    A folder on the way to the interpreter that the script's user could not enter (pyenv
    in root's home) is hidden too, since nothing in it was readable anyway. ``replaced``
    folders are already mounted anew (the run's /tmp): they hide what is below them.
    """
    points = {Path(path) for path in hidden} | set(replaced)
    for prefix in prefixes:
        closed = next((f for f in reversed(prefix.parents) if not _enterable(f)), None)
        if closed is not None:
            points.add(closed)
    outermost = sorted(p for p in points if not any(q in p.parents for q in points))
    options = [
        arg for point in outermost if point not in replaced for arg in ("--tmpfs", str(point))
    ]
    made: set[Path] = set()
    for prefix in prefixes:
        covering = next((point for point in outermost if point in prefix.parents), None)
        if covering is None:
            continue
        # bwrap would create the folders on the way as 0700, closed to the script.
        for folder in reversed(prefix.relative_to(covering).parents[:-1]):
            if covering / folder not in made:
                made.add(covering / folder)
                options += ["--perms", "0755", "--dir", str(covering / folder)]
        options += ["--ro-bind", str(prefix), str(prefix)]
    return options


def _enterable(folder: Path) -> bool:
    """Whether any user may pass through ``folder`` (its "others" execute bit)."""
    try:
        return bool(folder.stat().st_mode & stat.S_IXOTH)
    except OSError:
        return False

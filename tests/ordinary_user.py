"""Running a program as an ordinary user on a machine missing some tools, from a root test.

What a newcomer's machine looks like: no root, or no bubblewrap, or no GNU time. A private
mount namespace builds that view for one program: the whole file system as it is, with chosen
tools replaced by an empty, non-executable file, and, for an ordinary user, root's pyenv
interpreters reachable (``/root`` is closed to other users), then ``setpriv`` drops to the user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.jupyter_process import JupyterProcess, running_jupyter

NOBODY = pwd.getpwnam("nobody").pw_uid


def interpreter_prefixes() -> list[str]:
    """Folders of this test's interpreter that an ordinary user must reach."""
    real = Path(os.path.realpath(sys.executable))
    return sorted({str(real.parent.parent), str(Path(sys.prefix).resolve())})


def wrapped(
    argv: Sequence[str],
    *,
    uid: int | None = None,
    without: Sequence[str] = (),
) -> list[str]:
    """``argv`` as ``uid`` (root when None), with the tools named in ``without`` missing.

    A private mount namespace (util-linux's unshare) set up by a few mount commands, then
    ``exec``: the process the caller starts is the program itself, so signals reach it.
    """
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        raise RuntimeError("needs root and util-linux's unshare to build the view")
    mounts = []
    for name in without:
        for folder in ("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"):
            path = Path(folder) / name
            if path.exists() and not Path(folder).is_symlink():
                mounts.append(f"mount --bind /dev/null {shlex.quote(str(path))}")
    if uid is not None:
        _check_checkout_open_to_others()
        # /root is 0700: a fresh tmpfs (0755) in its place, the interpreter moved back in.
        kept = [p for p in interpreter_prefixes() if p.startswith("/root/")]
        mounts.append("mount -t tmpfs tmpfs /mnt")  # a scratch place, in this namespace only
        for number, prefix in enumerate(kept):
            mounts += [f"mkdir -p /mnt/{number}", f"mount --bind {prefix} /mnt/{number}"]
        mounts.append("mount -t tmpfs -o mode=0755 tmpfs /root")
        for number, prefix in enumerate(kept):
            mounts += [f"mkdir -p {prefix}", f"mount --move /mnt/{number} {prefix}"]
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
    else:
        drop = []
    script = "set -e; " + "; ".join([*mounts, 'exec "$@"'])
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        script,
        "sh",
        *drop,
        *argv,
    ]


@contextlib.contextmanager
def shared_work_dir() -> Iterator[Path]:
    """A server's folder an ordinary user may use (pytest's tmp_path is closed to others)."""
    with tempfile.TemporaryDirectory(prefix="scriptforge-as-user-") as folder:
        path = Path(folder)
        (path / "home").mkdir()
        path.chmod(0o755)
        yield path


def server_wrap(
    work_dir: Path, uid: int | None, without: Sequence[str]
) -> Callable[[list[str]], list[str]]:
    """For ``running_jupyter(wrap=...)``: the server as ``uid``, without the tools named."""
    wrapped(["true"], uid=uid, without=without)  # RuntimeError when the view cannot be built

    def wrap(argv: list[str]) -> list[str]:
        # The server's files, made by this (root) test, given to the server's user.
        if uid is not None:
            for entry in [work_dir, *work_dir.rglob("*")]:
                os.chown(entry, uid, uid)
        return wrapped(argv, uid=uid, without=without)

    return wrap


def _check_checkout_open_to_others() -> None:
    """An ordinary user's server imports this checkout: fail plainly if it cannot (a clone
    in a folder closed to others, such as one ``mktemp -d`` made)."""
    checkout = Path(__file__).resolve().parents[1]
    closed = [
        folder for folder in [checkout, *checkout.parents] if not folder.stat().st_mode & 0o001
    ]
    if closed:
        pytest.fail(
            f"This checkout ({checkout}) is closed to other users: {closed[0]} is "
            f"{oct(closed[0].stat().st_mode & 0o777)}. The ordinary-user tests run a server "
            "from it as nobody: clone it where others may read (or chmod o+rx the folders).",
            pytrace=False,
        )


def server_as(
    work_dir: Path,
    uid: int | None,
    without: Sequence[str] = (),
    extra_args: tuple[str, ...] = (),
) -> contextlib.AbstractContextManager[JupyterProcess]:
    """A real ``jupyter server`` in ``work_dir`` as ``uid``, without the tools named."""
    try:
        wrap = server_wrap(work_dir, uid, without)
    except RuntimeError as error:
        unavailable(f"the server's view: {error}")
    return running_jupyter(
        work_dir,
        app="server",
        wrap=wrap,
        env={"HOME": str(work_dir / "home")},
        extra_args=extra_args,
    )

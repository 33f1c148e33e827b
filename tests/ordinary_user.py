"""Running a program as an ordinary user on a machine missing some tools, from a root test.

What a newcomer's machine looks like: no root, or no bubblewrap, or no GNU time. A private
mount namespace builds that view for one program: the whole file system as it is, with chosen
tools replaced by an empty, non-executable file, and, for an ordinary user, root's pyenv
interpreters and this checkout reachable (a folder closed to others on the way, such as
``/root`` or a ``mktemp -d`` folder, is replaced by an open one holding just those), then
``setpriv`` drops to the user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tests.conftest import unavailable
from tests.jupyter_process import JupyterProcess, running_jupyter

NOBODY = pwd.getpwnam("nobody").pw_uid
# This checkout: the ordinary user's programs import ScriptForge and its tests from it.
CHECKOUT = Path(__file__).resolve().parents[1]


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
        # Folders closed to others on the way to what the user needs (/root with pyenv, a
        # clone in a 0700 mktemp folder): a fresh 0755 tmpfs in each one's place, with
        # what is needed moved back in.
        kept = sorted({*interpreter_prefixes(), str(CHECKOUT)})
        closed = sorted({folder for path in kept if (folder := _closed_folder(Path(path)))})
        mounts.append("mount -t tmpfs tmpfs /mnt")  # a scratch place, in this namespace only
        moved = [path for path in kept if _closed_folder(Path(path))]
        for number, path in enumerate(moved):
            mounts += [f"mkdir -p /mnt/{number}", f"mount --bind {shlex.quote(path)} /mnt/{number}"]
        for folder in closed:
            mounts.append(f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(folder)}")
        for number, path in enumerate(moved):
            mounts += [
                f"mkdir -p {shlex.quote(path)}",
                f"mount --move /mnt/{number} {shlex.quote(path)}",
            ]
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


def _closed_folder(path: Path) -> str | None:
    """The outermost folder on the way to ``path`` that other users cannot enter."""
    for folder in [*reversed(path.parents), path]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return str(folder)
    return None


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

"""The local runner: each script is a process tree on this machine, boxed in.

Two levels of isolation, chosen at start-up:

``bwrap`` (when the server runs as root and bubblewrap is installed): each run gets its own
PID, IPC and UTS namespaces, a read-only view of the file system with the server's secrets
(its home, runtime and store directories) hidden under empty tmpfs mounts, a size-capped
tmpfs ``/tmp`` as working directory, and its own unprivileged user id (one per concurrent
run, so runs cannot signal each other and the process limit counts one run's processes).
Killing the sandbox's outer process takes the whole PID namespace down with it.

``process`` (otherwise): a new session and process group, the same rlimits and the same
clean environment, but the script runs as the server's own user.

Both apply rlimits (CPU seconds, address space, processes, file size, open files) and a
wall-clock timeout, and never hand the script the server's environment.

Peak memory comes from GNU time, which starts the script (inside the sandbox) and reports
the largest resident size of the tree it waited for. The kernel charges a process forked
from a large one (the server) with its parent's size when it execs, and bwrap exits without
reaping its init: measured from the server, every run would "use" what the server uses.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import functools
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from ..._async import run_blocking
from ..interpreters import Interpreter
from .base import (
    SCRIPT_NAME,
    Limits,
    Outcome,
    OutputSink,
    Runner,
    RunnerUnavailableError,
    RunSpec,
    Stream,
)
from .environment import script_environment
from .processes import kill_user_processes

Isolation = Literal["bwrap", "process"]

# User ids the bwrap sandbox may lend, from the first one on: more than runs ever overlap.
UID_RANGE = 1024

# Inside the bwrap sandbox: the working directory on the run's own tmpfs.
_SANDBOX_TMP = "/tmp"  # noqa: S108 - a fresh tmpfs of the sandbox's own
_SANDBOX_WORK = f"{_SANDBOX_TMP}/work"
_READ_CHUNK = 65536
# How much lower than the server's a script's CPU priority is (nice(1)).
_NICENESS = 10
# How long output may still arrive after the script's process has ended.
_DRAIN_SECONDS = 2.0
# bwrap and setpriv start as root: they get nothing from the server's environment.
_LAUNCHER_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
# Signals a limit sends, told to the user in words rather than an exit code.
_LIMIT_SIGNALS = {
    signal.SIGXCPU: "CPU time limit of {cpu} s reached",
    signal.SIGXFSZ: "file size limit of {file} bytes reached",
}


def uid_range_of(instance: str) -> int:
    """The first sandbox user id of a server, from its instance name: 100000 up to 4.3 M,
    away from the ids of real accounts."""
    return 100_000 + (zlib.crc32(instance.encode()) % 4096) * UID_RANGE


def choose_isolation(preferred: str = "auto") -> Isolation:
    """``bwrap`` when it can work here (root and bubblewrap present), else ``process``."""
    capable = os.geteuid() == 0 and shutil.which("bwrap") and shutil.which("setpriv")
    if preferred == "bwrap" and not capable:
        raise RunnerUnavailableError(
            "The bwrap sandbox needs the server to run as root with bubblewrap installed."
        )
    if preferred == "process":
        return "process"
    return "bwrap" if capable else "process"


class UserIds:
    """Unprivileged user ids lent to runs, one per concurrent run."""

    def __init__(self, first: int) -> None:
        self._first = first
        self._free: list[int] = []
        self._next = first

    def take(self) -> int:
        if self._free:
            return self._free.pop()
        if self._next >= self._first + UID_RANGE:
            raise RunnerUnavailableError(f"All {UID_RANGE} sandbox user ids are in use.")
        uid = self._next
        self._next += 1
        return uid

    def give_back(self, uid: int) -> None:
        self._free.append(uid)

    def all_lendable(self) -> range:
        return range(self._first, self._first + UID_RANGE)


class LocalRunner(Runner):
    """Runs scripts as processes on this machine (see the module docstring)."""

    name = "local"

    def __init__(
        self,
        isolation: Isolation = "process",
        hidden_paths: Sequence[str] = (),
        first_uid: int = 100_000,
    ) -> None:
        self.isolation = isolation
        self._hidden = [str(Path(p).resolve()) for p in hidden_paths if Path(p).exists()]
        self._uids = UserIds(first_uid)
        # One long-lived thread starts every sandbox: bwrap's --die-with-parent watches
        # the thread that forked it, so that thread must live as long as the runner.
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="scriptforge-spawn")

    def supports(self, interpreter: Interpreter) -> bool:
        return interpreter.path is not None

    async def start(self) -> None:
        if self.isolation == "bwrap":
            # A server that died mid-run left its runs' processes behind.
            await run_blocking(kill_user_processes, self._uids.all_lendable())

    async def run(self, spec: RunSpec, sink: OutputSink, cancel: asyncio.Event) -> Outcome:
        if spec.interpreter.path is None:
            raise RunnerUnavailableError(
                f"Interpreter {spec.interpreter.name} has no executable on this machine."
            )
        uid = self._uids.take() if self.isolation == "bwrap" else None
        try:
            return await self._run(spec, spec.interpreter.path, uid, sink, cancel)
        finally:
            if uid is not None:
                # Nothing of the run is left to share the id with the next one: its PID
                # namespace died with its first process, taking every other one along.
                self._uids.give_back(uid)

    async def _run(
        self,
        spec: RunSpec,
        executable: str,
        uid: int | None,
        sink: OutputSink,
        cancel: asyncio.Event,
    ) -> Outcome:
        report_fd = os.memfd_create("scriptforge-peak")
        try:
            if uid is None:
                work = await run_blocking(_work_folder, spec.content)
                # No process limit here: it would count the server user's own processes too.
                limits = _prlimit(spec.limits, processes=False)
                argv = [*_measured(report_fd), *limits, executable, "-s", SCRIPT_NAME, *spec.args]
                env = script_environment(spec.env, home=work)
                process = await self._spawn(argv, env, work, (report_fd,))
                try:
                    return await _supervise(process, spec.limits, sink, cancel, report_fd)
                finally:
                    await run_blocking(shutil.rmtree, work, True)
            # bwrap copies the script from this descriptor into the sandbox's own /tmp.
            script_fd = os.memfd_create(SCRIPT_NAME)
            try:
                os.write(script_fd, spec.content.encode())
                os.lseek(script_fd, 0, os.SEEK_SET)
                argv = self._bwrap_command(spec, executable, script_fd, uid, report_fd)
                process = await self._spawn(argv, _LAUNCHER_ENV, None, (script_fd, report_fd))
            finally:
                os.close(script_fd)
            return await _supervise(process, spec.limits, sink, cancel, report_fd)
        finally:
            os.close(report_fd)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - the runner lives as long as the server
    def _hiding(self, executable: str) -> tuple[str, ...]:
        # A virtualenv's python is a link into its base interpreter: both folders are needed.
        prefixes = {Path(executable).resolve().parent.parent, Path(executable).parent.parent}
        return tuple(_hiding(self._hidden, sorted(prefixes), replaced=[Path(_SANDBOX_TMP)]))

    async def _spawn(
        self, argv: list[str], env: dict[str, str], cwd: str | None, fds: Sequence[int]
    ) -> subprocess.Popen[bytes]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._spawner, _spawn, argv, env, cwd, fds)

    async def close(self) -> None:
        self._spawner.shutdown(wait=False)

    def _bwrap_command(
        self, spec: RunSpec, executable: str, script_fd: int, uid: int, report_fd: int
    ) -> list[str]:
        environment = script_environment(spec.env, home=_SANDBOX_WORK)
        setenv = [arg for name, value in environment.items() for arg in ("--setenv", name, value)]
        argv = [
            _tool("bwrap"),
            "--die-with-parent",
            "--new-session",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--ro-bind", "/", "/",
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", str(spec.limits.file_bytes), "--perms", "1777", "--tmpfs", _SANDBOX_TMP,
            # After the run's own /tmp: an interpreter living under /tmp is bound back too.
            *self._hiding(executable),
            "--perms", "0777", "--dir", _SANDBOX_WORK,
            "--perms", "0644", "--file", str(script_fd), f"{_SANDBOX_WORK}/{SCRIPT_NAME}",
            "--chdir", _SANDBOX_WORK,
            "--clearenv", *setenv,
            "--",
            *_measured(report_fd),
            *_prlimit(spec.limits, processes=True),
            _tool("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all",
            "--",
            executable, "-s", SCRIPT_NAME, *spec.args,
        ]  # fmt: skip
        return argv


def _hiding(
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


def _work_folder(content: str) -> str:
    work = tempfile.mkdtemp(prefix="scriptforge-run-")
    (Path(work) / SCRIPT_NAME).write_text(content, encoding="utf-8")
    return work


def _spawn(
    argv: list[str], env: dict[str, str], cwd: str | None, fds: Sequence[int]
) -> subprocess.Popen[bytes]:
    """Start the sandbox; blocks until it has exec'd."""
    try:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            pass_fds=fds,
            start_new_session=True,
        )
    except OSError as error:
        raise RunnerUnavailableError(f"Could not start {argv[0]}: {error}") from error


def _measured(report_fd: int) -> list[str]:
    """GNU time in front of the script: it writes the peak resident size (KiB) of what it
    waited for to ``report_fd``; see the module docstring. Both run at a lower priority
    than the server, which a script cannot undo: CPU-bound scripts on a small machine
    leave the server its share, so it keeps answering."""
    return [
        _tool("nice"), f"--adjustment={_NICENESS}",
        _tool("time"), "--quiet", "--format=%M", f"--output=/dev/fd/{report_fd}", "--",
    ]  # fmt: skip


def _peak_of(report_fd: int) -> int | None:
    """The peak time reported, in bytes. Its report is the first line: the script inherits
    the descriptor and may write to it, but time writes last, from the start."""
    first = os.pread(report_fd, 64, 0).split(b"\n", 1)[0]
    return int(first) * 1024 if first.isdigit() and int(first) else None


def _prlimit(limits: Limits, processes: bool) -> list[str]:
    """util-linux's prlimit sets the limits and execs the rest of the command.

    A separate program rather than a ``preexec_fn``: without Python code between fork and
    exec, the server can spawn with vfork, which does not copy its page tables.
    """
    return [
        _tool("prlimit"),
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.memory_bytes}",
        *([f"--nproc={limits.processes}"] if processes else []),
        f"--fsize={limits.file_bytes}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "--",
    ]


@functools.cache
def _tool(name: str) -> str:
    """A launcher by absolute path: the ones that run as root never search the user's PATH."""
    found = shutil.which(name, path=_LAUNCHER_ENV["PATH"])
    if found is None:
        raise RunnerUnavailableError(
            f"The local runner needs {name} installed (util-linux, bubblewrap, GNU time)."
        )
    return found


async def _supervise(
    process: subprocess.Popen[bytes],
    limits: Limits,
    sink: OutputSink,
    cancel: asyncio.Event,
    report_fd: int,
) -> Outcome:
    """Stream the output, enforce timeout and cancel, and reap the process tree."""
    loop = asyncio.get_running_loop()
    assert process.stdout is not None
    assert process.stderr is not None
    readers = [
        asyncio.ensure_future(_pump(loop, process.stdout.fileno(), "stdout", sink)),
        asyncio.ensure_future(_pump(loop, process.stderr.fileno(), "stderr", sink)),
    ]
    exited = asyncio.ensure_future(_exit_of(loop, process.pid))
    cancelled = asyncio.ensure_future(cancel.wait())
    status: Literal["cancelled", "timed_out"] | None = None
    exit_status, peak = -1, None
    try:
        done, _ = await asyncio.wait(
            {exited, cancelled}, timeout=limits.timeout_seconds, return_when=asyncio.FIRST_COMPLETED
        )
        if exited not in done:
            status = "cancelled" if cancelled in done else "timed_out"
            # A walk of /proc (a fork bomb has hundreds of processes): not on the event loop.
            await run_blocking(_kill_measured, process.pid)
        exit_status = await exited
        peak = _peak_of(report_fd)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        # What is still in the pipes, but not for ever: in process mode a daemon that left
        # the session could hold them open.
        await asyncio.wait(readers, timeout=_DRAIN_SECONDS)
    finally:
        if process.returncode is None and exit_status == -1:
            # Cancelled from outside before it ended: take the tree down, then reap it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(process.pid, 0)  # noqa: ASYNC222 - just killed, returns at once
        cancelled.cancel()
        for task in (*readers, exited):
            task.cancel()
        process.stdout.close()
        process.stderr.close()
        # Reaped by us (wait4 for its rusage): tell Popen, so it does not wait again.
        process.returncode = exit_status
    if status is not None:
        return Outcome(status, None, peak)
    code = os.waitstatus_to_exitcode(exit_status)
    if code < 0 or code > 128:
        _explain_signal(-code if code < 0 else code - 128, limits, sink)
    return Outcome("succeeded" if code == 0 else "failed", code, peak)


def _explain_signal(number: int, limits: Limits, sink: OutputSink) -> None:
    with contextlib.suppress(ValueError):
        template = _LIMIT_SIGNALS.get(signal.Signals(number))
        if template is not None:
            reason = template.format(cpu=limits.cpu_seconds, file=limits.file_bytes)
            sink.write("stderr", f"\n[scriptforge] stopped: {reason}\n")


def _kill_measured(pid: int) -> None:
    """Kill what GNU time started, not time itself, so that it still reports the peak
    (bwrap then ends with its sandbox); if time is not running yet, the whole group."""
    timers = [p for p in _descendants(pid) if _executable(p) == _tool("time")]
    victims = [p for timer in timers for p in _descendants(timer)]
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    if not victims:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid``, parents first (a snapshot of /proc)."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop(0)
        try:
            threads = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for thread in threads:  # each thread's own children
            with contextlib.suppress(OSError):
                children = [
                    int(c)
                    for c in Path(f"/proc/{parent}/task/{thread}/children").read_text().split()
                ]
                found += children
                queue += children
    return found


def _executable(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


async def _exit_of(loop: asyncio.AbstractEventLoop, pid: int) -> int:
    """Wait for ``pid`` without a thread: its pidfd becomes readable when it exits."""
    pidfd = os.pidfd_open(pid)
    exited = loop.create_future()
    loop.add_reader(pidfd, _resolve, exited)
    try:
        await exited
    finally:
        loop.remove_reader(pidfd)
        os.close(pidfd)
    # Already exited: this wait returns at once.
    _, status = os.waitpid(pid, os.WNOHANG)  # noqa: ASYNC222
    return status


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _pump(loop: asyncio.AbstractEventLoop, fd: int, stream: Stream, sink: OutputSink) -> None:
    """Forward one pipe to the sink until it closes, decoding UTF-8 across chunk edges."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    os.set_blocking(fd, False)
    readable = asyncio.Event()
    loop.add_reader(fd, readable.set)
    try:
        while True:
            await readable.wait()
            readable.clear()
            try:
                data = os.read(fd, _READ_CHUNK)
            except BlockingIOError:
                continue
            if not data:
                break
            text = decoder.decode(data)
            if text:
                sink.write(stream, text)
        tail = decoder.decode(b"", final=True)
        if tail:
            sink.write(stream, tail)
    finally:
        loop.remove_reader(fd)

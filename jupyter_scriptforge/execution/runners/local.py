"""The local runner: each script is a process tree on this machine, boxed in.

Three levels of isolation, the strongest this machine allows chosen at start-up:

``bwrap`` (the server runs as root, bubblewrap is installed): each run gets its own PID,
IPC and UTS namespaces, a read-only view of the file system with the server's secrets (its
home, runtime and store directories) hidden under empty tmpfs mounts, a size-capped tmpfs
``/tmp`` as working directory and its own ``/dev/shm``, and its own unprivileged user id
(one per concurrent run, so runs cannot signal each other and the process limit counts one
run's processes). Killing the sandbox's outer process takes the whole PID namespace down.

``bwrap-unprivileged`` (bubblewrap and unprivileged user namespaces, any user): the same
view and namespaces plus a user namespace, inside which the script is user 1000 with no
capabilities and no way to make another namespace. Outside it is the server's own user, but
it cannot see the server's processes (to signal them or read their environment), write
anything outside its tmpfs, or read the hidden folders; the process limit counts only the
run's own processes, since the kernel counts them per user namespace.

``process`` (the last resort): a new session and process group, the same rlimits and the
same clean environment, but the script runs as the server's own user and can reach whatever
that user can: signal the server, read its environment and files. Its process limit counts
the user's other tasks too, so it is set to what the user has at the start plus the run's.

In every mode the first program is ``inside/launch.py`` under the script's interpreter: it
sets the rlimits, runs the script and reports its peak memory (in process mode from a forked
child, see there), so a run needs no other tool than bubblewrap (and, as root, setpriv).

In the bwrap modes a run most often finds its sandbox already started, its interpreter
waiting for the script (warm_sandboxes.py): the same sandbox, started ahead of time.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from ..._async import run_blocking
from ..interpreters import Interpreter
from .base import (
    OUTPUT_ARCHIVE_OFFSET,
    OUTPUT_FOLDER,
    SCRIPT_NAME,
    Limits,
    Outcome,
    OutputSink,
    Runner,
    RunnerUnavailableError,
    RunSpec,
)
from .bwrap import (
    NAMESPACE_UID,
    SANDBOX_INPUTS,
    SANDBOX_TMP,
    SANDBOX_WORK,
    SandboxFiles,
    bwrap_options,
    hiding_options,
    identity,
)
from .environment import script_environment
from .isolation import LAUNCHER_PATH, Isolation, SandboxReport, describe, tool
from .launchers import LauncherModules
from .processes import kill_user_processes, tasks_of_user
from .supervise import supervise
from .user_ids import UserIds
from .warm_sandboxes import (
    SandboxKind,
    WarmSandbox,
    WarmSandboxes,
    end_warm,
    hand_over,
    run_message,
)

# How much lower than the server's a script's CPU priority is (nice(1)).
_NICENESS = 10
# Where the launcher is below the process the runner starts: bwrap, its init, the launcher.
_LAUNCHER_DEPTH = {"bwrap": 2, "process": 0}
# Variables Python reads as it starts: a warm interpreter has started without the run's.
_STARTUP_VARIABLES = ("PYTHON", "LC_", "LANG")
# In process mode, the folder of links to the run's inputs, in its run folder.
_INPUTS = "inputs"


class LocalRunner(Runner):
    """Runs scripts as processes on this machine (see the module docstring)."""

    name = "local"

    def __init__(
        self,
        isolation: Isolation = "process",
        hidden_paths: Sequence[str] = (),
        first_uid: int = 100_000,
        network: bool = True,
        launcher_folder: str | None = None,
        warm_sandboxes: int = 0,
    ) -> None:
        """``warm_sandboxes``: how many sandboxes the bwrap modes keep started per kind of
        run (interpreter, runtime policy, working folder size); 0 starts one per run."""
        self.isolation = isolation
        # Without a network, a bwrap sandbox gets an empty network namespace of its own.
        self.network = network
        self._hidden = [str(Path(p).resolve()) for p in hidden_paths if Path(p).exists()]
        self._uids = UserIds(first_uid)
        # Where the interpreters keep the launcher compiled (none: each run compiles it).
        self._launchers = LauncherModules(launcher_folder)
        self._bwrap = _bwrap_tools() if isolation != "process" else ("", "", False)
        self._identity = _identity_tables() if isolation != "process" else ("", "")
        # One long-lived thread starts every sandbox: bwrap's --die-with-parent watches
        # the thread that forked it, so that thread must live as long as the runner.
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="scriptforge-spawn")
        self._warm = (
            WarmSandboxes(warm_sandboxes, self._start_warm, self._discard_warm)
            if isolation != "process" and warm_sandboxes > 0
            else None
        )

    def supports(self, interpreter: Interpreter) -> bool:
        return interpreter.path is not None

    def sandbox(self) -> SandboxReport:
        return describe(self.isolation)

    async def start(self) -> None:
        if self.isolation == "bwrap":
            # A server that died mid-run left its runs' processes behind.
            await run_blocking(kill_user_processes, self._uids.all_lendable())

    async def run(self, spec: RunSpec, sink: OutputSink, cancel: asyncio.Event) -> Outcome:
        if spec.interpreter.path is None:
            raise RunnerUnavailableError(
                f"Interpreter {spec.interpreter.name} has no executable on this machine."
            )
        await self._launchers.prepare(spec.interpreter.path)
        warm = await self._hand_to_warm(spec, spec.interpreter.path)
        if warm is not None:
            try:
                outcome = await supervise(
                    warm.process, _LAUNCHER_DEPTH["bwrap"], False, spec.limits, sink, cancel,
                    warm.report_fd,
                )  # fmt: skip
                await _hand_output(spec, warm.report_fd, outcome)
                return outcome
            finally:
                self._release(warm.uid, warm.report_fd)
        uid = self._uids.take() if self.isolation == "bwrap" else None
        try:
            return await self._run(spec, spec.interpreter.path, uid, sink, cancel)
        finally:
            if uid is not None:
                # Nothing of the run is left to share the id with the next one: its PID
                # namespace died with its first process, taking every other one along.
                self._uids.give_back(uid)

    async def prepare(self, executable: str) -> None:
        """Have ``executable`` compile the launcher, as its first run would."""
        await self._launchers.prepare(executable)

    def waiting_sandboxes(self) -> list[WarmSandbox]:
        """The warm sandboxes ready now (their processes are not a run's)."""
        return self._warm.waiting() if self._warm else []

    async def warm_up(
        self,
        interpreter: Interpreter,
        policy: bool,
        file_bytes: int,
        packages: str | None = None,
    ) -> None:
        """Have warm sandboxes ready for runs of this kind (none without warm sandboxes)."""
        if self._warm is None or interpreter.path is None:
            return
        await self._launchers.prepare(interpreter.path)
        if self._launchers.usable(interpreter.path):
            self._warm.warm(SandboxKind(interpreter.path, policy, file_bytes, packages))
            await self._warm.filled()

    async def _hand_to_warm(self, spec: RunSpec, executable: str) -> WarmSandbox | None:
        """Give the run to a warm sandbox of its kind, if one is ready; None otherwise."""
        if (
            self._warm is None
            or not self._launchers.usable(executable)
            or any(name.startswith(_STARTUP_VARIABLES) for name in spec.env)
            or spec.inputs  # mounted as a sandbox starts
        ):
            return None
        kind = SandboxKind(
            executable, bool(spec.runtime_rules), spec.limits.file_bytes, spec.packages
        )
        sandbox = self._warm.take(kind)
        if sandbox is None:
            return None
        if sandbox.process.poll() is not None:  # ended while it waited (killed, out of memory)
            await self._discard_warm(sandbox)
            return None
        script = f"{SANDBOX_WORK}/{SCRIPT_NAME}"
        argv = self._launcher(executable, spec, script, sandbox.report_fd, spec.limits.processes)
        environment = script_environment(_with_packages(spec), SANDBOX_WORK)
        message = run_message(argv, environment, spec.content)
        try:
            await run_blocking(hand_over, sandbox.process, message)
        except OSError:  # its launcher ended meanwhile
            await self._discard_warm(sandbox)
            return None
        except BaseException:  # the run was cancelled meanwhile
            await asyncio.shield(self._discard_warm(sandbox))
            raise
        return sandbox

    async def _start_warm(self, kind: SandboxKind) -> WarmSandbox:
        uid = self._uids.take() if self.isolation == "bwrap" else None
        report_fd = os.memfd_create("scriptforge-peak")
        try:
            argv, files = self._bwrap_argv(
                kind.executable,
                uid,
                None,  # the launcher writes the script it is given
                kind.tmp_bytes,
                script_environment(
                    {"PYTHONPATH": kind.packages} if kind.packages else {}, home=SANDBOX_WORK
                ),
                self._launchers.warm_argv(kind.executable, kind.policy),
                kind.packages,
            )
            try:
                process = await self._spawn(
                    argv, {"PATH": LAUNCHER_PATH}, None, [*files, report_fd], warm=True
                )
            finally:
                for fd in files:
                    os.close(fd)
        except BaseException:
            self._release(uid, report_fd)
            raise
        return WarmSandbox(kind, process, uid, report_fd)

    async def _discard_warm(self, sandbox: WarmSandbox) -> None:
        """End a warm sandbox: its launcher exits at the end of an empty stdin."""
        await run_blocking(end_warm, sandbox.process)
        self._release(sandbox.uid, sandbox.report_fd)

    def _release(self, uid: int | None, report_fd: int) -> None:
        os.close(report_fd)
        if uid is not None:
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
            if self.isolation == "process":
                return await self._run_process(spec, executable, report_fd, sink, cancel)
            argv, files = self.sandbox_command(spec, executable, uid, report_fd)
            try:
                process = await self._spawn(
                    argv, {"PATH": LAUNCHER_PATH}, None, [*files, report_fd]
                )
            finally:
                for fd in files:
                    os.close(fd)
            outcome = await supervise(
                process, _LAUNCHER_DEPTH["bwrap"], False, spec.limits, sink, cancel, report_fd
            )
            await _hand_output(spec, report_fd, outcome)
            return outcome
        finally:
            os.close(report_fd)

    def sandbox_command(
        self, spec: RunSpec, executable: str, uid: int | None, report_fd: int
    ) -> tuple[list[str], list[int]]:
        """The command line of a run in a sandbox of its own (bwrap modes; ``uid`` as
        root), and the in-memory files it reads, which the caller closes once it started."""
        launcher = self._launcher(
            executable, spec, f"{SANDBOX_WORK}/{SCRIPT_NAME}", report_fd, spec.limits.processes
        )
        inputs = SANDBOX_INPUTS if spec.inputs else None
        return self._bwrap_argv(
            executable,
            uid,
            spec.content,
            spec.limits.file_bytes,
            script_environment(_with_packages(spec), SANDBOX_WORK, inputs),
            launcher,
            spec.packages,
            spec.inputs,
        )

    async def _run_process(
        self,
        spec: RunSpec,
        executable: str,
        report_fd: int,
        sink: OutputSink,
        cancel: asyncio.Event,
    ) -> Outcome:
        work = await run_blocking(_work_folder, spec.content, spec.inputs)
        try:
            script = str(Path(work) / SCRIPT_NAME)
            # The kernel counts all of the server user's tasks against the process limit:
            # what it has now, plus the run's own. A race with the server's own threads,
            # but enough to stop a fork bomb.
            tasks = await run_blocking(tasks_of_user, os.getuid())
            processes = tasks + spec.limits.processes
            # No PID namespace to end with the run: the launcher reaps what the script left.
            argv = self._launcher(executable, spec, script, report_fd, processes, reaper=True)
            # Temporary files stay in the run's folder, removed with it.
            inputs = str(Path(work, _INPUTS)) if spec.inputs else None
            env = {**script_environment(_with_packages(spec), work, inputs), "TMPDIR": work}
            process = await self._spawn(argv, env, work, (report_fd,))
            outcome = await supervise(
                process, _LAUNCHER_DEPTH["process"], True, spec.limits, sink, cancel, report_fd
            )
            await _hand_output(spec, report_fd, outcome)
            return outcome
        finally:
            await run_blocking(shutil.rmtree, work, True)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - the runner lives as long as the server
    def _hiding(
        self, executable: str, launcher: bool, packages: str | None = None
    ) -> tuple[str, ...]:
        # A virtualenv's python is a link into its base interpreter: both folders are needed;
        # and the compiled launcher, which lives among the server's hidden files; and the
        # run's packages, wherever their cache is.
        prefixes = {Path(executable).resolve().parent.parent, Path(executable).parent.parent}
        if launcher and self._launchers.folder is not None:
            prefixes.add(self._launchers.folder)
        if packages is not None:
            prefixes.add(Path(packages))
        return tuple(hiding_options(self._hidden, sorted(prefixes), replaced=[Path(SANDBOX_TMP)]))

    async def _spawn(
        self,
        argv: list[str],
        env: dict[str, str],
        cwd: str | None,
        fds: Sequence[int],
        warm: bool = False,
    ) -> subprocess.Popen[bytes]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._spawner, _spawn, argv, env, cwd, fds, warm)

    async def close(self) -> None:
        if self._warm is not None:
            await self._warm.close()
        self._spawner.shutdown(wait=False)

    def _bwrap_argv(
        self,
        executable: str,
        uid: int | None,
        script: str | None,
        tmp_bytes: int,
        environment: dict[str, str],
        launcher: list[str],
        packages: str | None = None,
        inputs: Mapping[str, str] | None = None,
    ) -> tuple[list[str], list[int]]:
        """bwrap (and, as root, setpriv) running ``launcher`` in a sandbox holding ``script``
        (if given), and the in-memory files bwrap copies in, which the caller closes once
        it started."""
        bwrap, setpriv, disable_userns = self._bwrap
        tables = identity(*self._identity, uid or NAMESPACE_UID)
        fds = _memfiles(*tables) if script is None else _memfiles(script, *tables)
        files = SandboxFiles(None, *fds) if script is None else SandboxFiles(*fds)
        unprivileged = uid is None
        options = bwrap_options(
            unprivileged=unprivileged,
            uid=uid or NAMESPACE_UID,
            hiding=self._hiding(executable, self._launchers.usable(executable), packages),
            files=files,
            script_name=SCRIPT_NAME,
            tmp_bytes=tmp_bytes,
            environment=environment,
            network=self.network,
            inputs=inputs or {},
        )
        if unprivileged and not disable_userns:
            options.remove("--disable-userns")
        if unprivileged:
            return [bwrap, *options, "--", *launcher], fds
        # As root: the run's own user id before the interpreter starts, so nothing of the
        # interpreter (its .pth files, its site-packages) ever runs as root.
        drop = [
            setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--",
        ]  # fmt: skip
        return [bwrap, *options, "--", *drop, *launcher], fds

    def _launcher(
        self,
        executable: str,
        spec: RunSpec,
        script: str,
        report_fd: int,
        processes: int,
        reaper: bool = False,
    ) -> list[str]:
        """The interpreter running inside/launch.py, which sets the limits and runs the
        script (under the runtime policy of inside/policy.py when the run has one)."""
        settings = _settings(spec.limits, script, report_fd, processes, reaper)
        settings += f";output={Path(script).parent / OUTPUT_FOLDER}"
        start = self._launchers.argv(executable, policy=bool(spec.runtime_rules))
        extra: list[str] = []
        if spec.runtime_rules:
            # Where the script may write: its folder, the temporary folder, its shared memory.
            folder = str(Path(script).parent)
            roots = [folder, "/dev/shm"] if reaper else [folder, SANDBOX_TMP, "/dev/shm"]  # noqa: S108
            settings += ";policy=1"
            extra.append(json.dumps(spec.runtime_settings(roots)))
        if spec.main_call is not None:
            settings += ";main=1"
            extra.append(spec.main_call)
        return [*start, settings, *extra, *spec.args]


def _settings(limits: Limits, script: str, report_fd: int, processes: int, reaper: bool) -> str:
    settings = {
        "report": report_fd,
        "nice": _NICENESS,
        "cpu": limits.cpu_seconds,
        "as": limits.memory_bytes,
        "fsize": limits.file_bytes,
        "nofile": limits.open_files,
        "core": 0,
        "nproc": processes,
        # Outside a sandbox the launcher forks (see inside/launch.py) and reaps.
        **({"fork": 1, "reaper": 1} if reaper else {}),
        "script": script,
    }
    return ";".join(f"{key}={value}" for key, value in settings.items())


def _memfiles(*contents: str) -> list[int]:
    """Descriptors of in-memory files holding ``contents``, for bwrap to copy in."""
    fds = []
    for content in contents:
        fd = os.memfd_create("scriptforge-file")
        os.write(fd, content.encode())
        os.lseek(fd, 0, os.SEEK_SET)
        fds.append(fd)
    return fds


def _bwrap_tools() -> tuple[str, str, bool]:
    bwrap, setpriv = tool("bwrap"), tool("setpriv") or ""
    if bwrap is None:
        raise RunnerUnavailableError("The bwrap sandbox needs bubblewrap installed.")
    try:
        usage = subprocess.run(
            [bwrap, "--help"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        usage = ""
    return bwrap, setpriv, "--disable-userns" in usage


def _identity_tables() -> tuple[str, str]:
    tables = []
    for path in ("/etc/passwd", "/etc/group"):
        try:
            tables.append(Path(path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            tables.append("")
    return tables[0], tables[1]


def _work_folder(content: str, inputs: Mapping[str, str]) -> str:
    """The process mode's run folder: the script, and links to the input folders."""
    work = tempfile.mkdtemp(prefix="scriptforge-run-")
    (Path(work) / SCRIPT_NAME).write_text(content, encoding="utf-8")
    if inputs:
        (Path(work) / _INPUTS).mkdir()
        for name, folder in inputs.items():
            (Path(work) / _INPUTS / name).symlink_to(folder, target_is_directory=True)
    return work


async def _hand_output(spec: RunSpec, report_fd: int, outcome: Outcome) -> None:
    """Give the run's output archive, in the report descriptor after the peak, to
    ``spec.keep_output``, if the launcher packed one (most runs leave nothing: no thread is
    asked then; a memfd's size is known at once). A run killed (timeout, cancel) keeps
    nothing, on every runner: the process mode's launcher outlives its script and packs."""
    if (
        spec.keep_output is not None
        and outcome.status in ("succeeded", "failed")
        and os.fstat(report_fd).st_size > OUTPUT_ARCHIVE_OFFSET
    ):
        await run_blocking(_read_archive, report_fd, spec.keep_output)


def _read_archive(report_fd: int, keep: Callable[[BinaryIO], None]) -> None:
    with os.fdopen(os.dup(report_fd), "rb") as stream:
        stream.seek(OUTPUT_ARCHIVE_OFFSET)
        keep(stream)


def _spawn(
    argv: list[str], env: dict[str, str], cwd: str | None, fds: Sequence[int], warm: bool
) -> subprocess.Popen[bytes]:
    """Start the sandbox; blocks until it has exec'd. A warm one reads its run on stdin."""
    try:
        return subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if warm else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            pass_fds=fds,
            start_new_session=True,
        )
    except OSError as error:
        raise RunnerUnavailableError(f"Could not start {argv[0]}: {error}") from error


def _with_packages(spec: RunSpec) -> dict[str, str]:
    """The run's parameters, with its packages' folder (at the same path inside a sandbox)
    on the import path."""
    if spec.packages is None:
        return dict(spec.env)
    return {**spec.env, "PYTHONPATH": spec.packages}

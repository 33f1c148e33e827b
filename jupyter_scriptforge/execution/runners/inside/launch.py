"""The local runner's launcher: the first Python code of a run, inside its sandbox.

``python -s -c <start> <settings> [<policy>] <script arguments...>``: ``<start>`` imports this
program (joined after inside/script_main.py, and inside/policy.py with a policy) as a module
the interpreter compiled once and calls ``_launch()``, or is the text itself and the call
(see runners/launchers.py). The settings read
``report=5;nice=10;cpu=300;as=1073741824;nproc=64;fsize=67108864;nofile=256;script=PATH``
and, with ``fork=1``, ``reaper=1``; with ``output=FOLDER``, the run's output folder, made
before the script starts and packed after it ends (inside/output.py) into the ``report``
descriptor, after the peak. With ``policy=1`` the next argument is the runtime
policy's settings; with ``main=1`` the next one is the call of the script's ``main`` (see
inside/script_main.py).

It lowers its CPU priority, sets the run's resource limits and runs the script as
``__main__`` in the interpreter already started. Its peak resident size goes to the
``report`` descriptor (KiB), measured here rather than from the server: a process started
from a large one (the server) is charged with its parent's size at exec, so every run would
seem to use the server's size.

In a bubblewrap sandbox this process was forked from bubblewrap, which is small: it runs the
script itself and reports its own peak (and its waited-for children's) as it exits. A run
killed (a timeout, a cancel) has its peak read by the runner first; one ended by a signal or
``os._exit`` has none. With ``fork=1`` (the process mode, where this process comes straight
from the server) it forks first: the child runs the script, the parent waits for it, reports
the peak from ``wait4`` and exits as the script did; with ``reaper=1`` it is also the reaper
of whatever the script leaves behind (a daemon that left its session), killed once the script
has ended, as a PID namespace's end would. A fork costs 5 to 15 ms here, which is why the
sandboxes do without.

A warm sandbox starts this program before its run is known, by ``_wait_for_run()`` instead
of ``_launch()``: the interpreter is then started, and waits on stdin for the run (see
there). An interpreter whose start could not have seen the run's world — its sys.path
folders changed since it started (a package installed) — starts afresh instead, in place.

Annotations are quoted: they must not be evaluated by a Python 3.8.
"""

import os
import resource
import sys
import time

try:  # the C module alone: signal.py imports enum, some 5 ms of every run's start
    import _signal as signal  # type: ignore[import-not-found]
except ImportError:  # an interpreter without it
    import signal

_LIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "nproc": resource.RLIMIT_NPROC,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "core": resource.RLIMIT_CORE,
}
_PR_SET_CHILD_SUBREAPER = 36
# When this interpreter started, less a second: a folder changed after that may hold what
# its start missed (mtimes come from a coarser clock).
_STARTED_NS = time.time_ns() - 1_000_000_000


def _settings(text: "str") -> "dict[str, str]":
    return dict(pair.split("=", 1) for pair in text.split(";") if pair)


def _limit(settings: "dict[str, str]") -> None:
    os.nice(int(settings.get("nice", "0")))
    for key, which in _LIMITS.items():
        if key in settings:
            value = int(settings[key])
            resource.setrlimit(which, (value, value))


def _become_reaper() -> None:
    import ctypes  # only here: a run in its own PID namespace does not pay for it

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children() -> "list[int]":
    found: "list[int]" = []
    for thread in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{thread}/children") as file:
                found += [int(pid) for pid in file.read().split()]
        except OSError:
            pass
    return found


def _reap_leftovers() -> None:
    """Kill and reap what the script left (its orphans are now this process's children)."""
    for _ in range(100):
        children = _children()
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


def _report_and_exit(child: int, report_fd: int, reaper: bool, output: "str | None") -> None:
    """The parent's part: wait for the script, report its peak and output, end as it ended."""
    _, status, usage = os.wait4(child, 0)
    if reaper:
        _reap_leftovers()
    _report(report_fd, usage.ru_maxrss, output)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError):  # SIGKILL and SIGSTOP keep their default anyway
            pass
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _report(report_fd: "int", peak: "int", output: "str | None") -> None:
    """The peak (KiB) at the start of ``report_fd``, then the output folder's archive."""
    try:
        os.pwrite(report_fd, b"%d\n" % peak, 0)
    except OSError:
        return
    if output is not None:
        pack_output(output, report_fd, OUTPUT_ARCHIVE_OFFSET)  # type: ignore[name-defined]  # noqa: F821


def _report_at_exit(report_fd: "int", output: "str | None") -> None:
    """Without a fork: the peak of this process and of what it waited for, and the output,
    written as the interpreter exits (registered before the script runs, so after its own
    handlers: a report an atexit handler writes is kept)."""
    import atexit

    pid = os.getpid()

    def report() -> None:
        if os.getpid() != pid:  # a forked child of the script inherits the handler
            return
        peak = max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        _report(report_fd, peak, output)

    os.set_inheritable(report_fd, False)  # nothing the script execs gets it
    atexit.register(report)


def _launch() -> None:
    settings = _settings(sys.argv[1])
    _limit(settings)
    report_fd = int(settings.get("report", "-1"))
    output = settings.get("output")
    if output is not None:
        make_output_folder(output)  # type: ignore[name-defined]  # noqa: F821
    if settings.get("fork") == "1":
        reaper = settings.get("reaper") == "1"
        if reaper:
            _become_reaper()
        child = os.fork()
        if child:
            _report_and_exit(child, report_fd, reaper, output)
        if report_fd >= 0:
            os.close(report_fd)
    elif report_fd >= 0:
        _report_at_exit(report_fd, output)
    rest = sys.argv[2:]
    policy = rest.pop(0) if settings.get("policy") == "1" else None
    call = rest.pop(0) if settings.get("main") == "1" else None
    run_script(settings["script"], rest, policy, call)  # type: ignore[name-defined]  # noqa: F821


def _wait_for_run() -> None:
    """A warm sandbox's start: wait for the run, then become it.

    Reads stdin to its end: ``<argc>\\0<envc>\\0``, the run's cold command line (``python -s
    -c <start> <settings> ...``, argc items), its environment (``NAME=value``, envc items),
    then the script's bytes. Writes the script where the settings say, takes the
    environment, and runs as a cold start would have, from ``_launch()``; or, if this
    interpreter's start is stale, execs that command line.
    """
    # A first compile() sets up the compiler's syntax-tree types: 1 ms, paid while waiting.
    compile("", "<warm>", "exec")
    chunks = []
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    if not chunks:  # the runner threw this sandbox away
        os._exit(0)
    argc, envc, rest = b"".join(chunks).split(b"\0", 2)
    fields = rest.split(b"\0", int(argc) + int(envc))
    argv = fields[: int(argc)]
    # bwrap's --chdir set PWD, as it does for a sandbox started with its run.
    environment = {b"PWD": os.environb.get(b"PWD", b"")}
    environment.update(item.partition(b"=")[::2] for item in fields[int(argc) : -1])
    os.environ.clear()
    os.environb.update(environment)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    script = _settings(os.fsdecode(argv[4]))["script"]
    with open(os.open(script, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "wb") as file:
        file.write(fields[-1])
    if _stale():
        os.execv(argv[0], argv)  # noqa: S606 - the same command line, started afresh
    sys.argv[1:] = [os.fsdecode(arg) for arg in argv[4:]]
    _launch()


def _stale() -> bool:
    """Whether a folder of sys.path (not the launcher's own, first) changed since start."""
    for folder in sys.path[1:]:
        try:
            if os.stat(folder).st_mtime_ns > _STARTED_NS:
                return True
        except OSError:
            pass
    return False

"""The Docker runner's program in each container: wait for one run's payload, run it.

Started ahead of the run (a warm pool) as ``scriptforge-python -c <policy, script_main,
this program>``: the interpreter and these imports are paid for before the script arrives.
It reads one JSON line on stdin (``content``, ``args``, ``env``, ``token``, ``policy``, the
runtime policy's settings or null, and ``main``, the call of the script's ``main`` or null),
writes the script to /work/script.py and runs it as ``__main__`` (inside/script_main.py).

Its last act is an end mark on stdout and on stderr: the payload's token, the exit status,
the container's peak memory and, if the script left files in its output folder
(/work/output, inside/output.py), a ``+``: the program then waits (at most
``_OUTPUT_WAIT_SECONDS``) for the runner to pack them through ``docker exec`` and remove the
container, since the folder, on the container's tmpfs, ends with it. The engine takes some
30 ms after a process exits to end the attach stream; the mark lets the runner stop there.
Without a mark (``os._exit``, a kill, an exec) the runner waits for the stream's end and
asks the engine for the exit code. The script could forge a mark, but only to misreport
itself.

Runs under every image's interpreter, PyPy 3.9 included. Annotations are quoted.
"""

import atexit
import json
import os
import signal
import sys

_SCRIPT = "/work/script.py"
_OUTPUT = "/work/output"
_OUTPUT_WAIT_SECONDS = 300
# Where a guarded script may write: its folder, the temporary folder, its shared memory.
_ROOTS = ["/work", "/tmp", "/dev/shm"]  # noqa: S108 - the container's own


def _end_mark(mark: "bytes", pid: int, status: "list[int]", fds: "tuple[int, int]") -> None:
    """Registered first, so it runs last: after the script's own atexit handlers and
    non-daemon threads. A forked child inherits it, but is not the run. ``fds``: copies of
    stdout and stderr taken before the script ran, which it did not redirect or close."""
    if os.getpid() != pid:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: S110 - a closed stream has nothing left to flush
            pass
    try:
        # Every other process of the run (PID 1, docker-init, is spared): once the marks
        # are out, only this one is left, and it is exiting.
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    # The container's peak memory, if its cgroup (v1, or v2 on Linux 5.19+) shows it.
    peak = b""
    for name in ("memory/memory.max_usage_in_bytes", "memory.peak"):
        try:
            with open("/sys/fs/cgroup/" + name, "rb") as file:
                peak = b" " + file.read().strip()
            break
        except OSError:
            pass
    try:
        waiting = bool(os.listdir(_OUTPUT))
    except OSError:
        waiting = False
    line = mark + str(status[0] & 255).encode() + peak + (b" +" if waiting else b"") + b"\n"
    for fd in fds:
        try:
            os.write(fd, line)
        except OSError:
            waiting = False  # the runner reads no mark: it waits for the stream's end
    if waiting:
        import time

        time.sleep(_OUTPUT_WAIT_SECONDS)


def _serve() -> None:
    payload = json.loads(sys.stdin.buffer.readline())
    with open(_SCRIPT, "w", encoding="utf-8") as script:
        script.write(payload["content"])
    os.chdir(os.path.dirname(_SCRIPT))
    make_output_folder(_OUTPUT)  # type: ignore[name-defined]  # noqa: F821
    os.environ.clear()
    os.environ.update(payload["env"])
    status = [1]
    # Non-inheritable copies: the marks get out however the script redirects its output.
    fds = (os.dup(1), os.dup(2))
    mark = b"\0" + payload["token"].encode() + b"\0"
    atexit.register(_end_mark, mark, os.getpid(), status, fds)
    policy = payload.get("policy")
    if policy is not None:
        policy = json.dumps(dict(policy, roots=_ROOTS))  # its own folders
    try:
        run_script(_SCRIPT, payload["args"], policy, payload.get("main"))  # type: ignore[name-defined]  # noqa: F821
        status[0] = 0
    except SystemExit as exit:
        code = exit.code
        status[0] = 0 if code is None else code if isinstance(code, int) else 1
        raise


_serve()

"""Following a local run's process: its output, its end, a timeout or cancel, its peak."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import subprocess
from pathlib import Path
from typing import Literal

from ..._async import run_blocking
from .base import Limits, Outcome, OutputSink, Stream

_READ_CHUNK = 65536
# How long output may still arrive after the script's process has ended.
_DRAIN_SECONDS = 2.0
# Signals a limit sends, told to the user in words rather than an exit code.
_LIMIT_SIGNALS = {
    signal.SIGXCPU: "CPU time limit of {cpu} s reached",
    signal.SIGXFSZ: "file size limit of {file} bytes reached",
}


def peak_of(report_fd: int) -> int | None:
    """The peak the launcher reported, in bytes: the first line, written at offset 0 as the
    script ends (a script could write there too, but only to misreport itself)."""
    first = os.pread(report_fd, 64, 0).split(b"\n", 1)[0]
    return int(first) * 1024 if first.isdigit() and int(first) else None


async def supervise(
    process: subprocess.Popen[bytes],
    launcher_depth: int,
    launcher_forks: bool,
    limits: Limits,
    sink: OutputSink,
    cancel: asyncio.Event,
    report_fd: int,
) -> Outcome:
    """Stream the output, enforce timeout and cancel, and reap the process tree.

    ``launcher_depth`` says where the launcher (inside/launch.py) is below ``process``: 0
    when it is that process, 2 under bwrap (bwrap, then its init in the new PID namespace).
    A launcher that forks outlives the script and reports its peak after a kill; one that
    runs the script itself cannot, so the peak is read (``VmHWM``) before the kill.
    """
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
    exit_status, peak, peak_at_kill = -1, None, None
    try:
        done, _ = await asyncio.wait(
            {exited, cancelled}, timeout=limits.timeout_seconds, return_when=asyncio.FIRST_COMPLETED
        )
        if exited not in done:
            status = "cancelled" if cancelled in done else "timed_out"
            # A walk of /proc (a fork bomb has hundreds of processes): not on the event loop.
            peak_at_kill = await run_blocking(
                _kill_script, process.pid, launcher_depth, launcher_forks
            )
        exit_status = await exited
        peak = peak_of(report_fd) or peak_at_kill
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
        # Each reader keeps what is in its pipe as it stops: before the pipes close.
        await asyncio.gather(*readers, return_exceptions=True)
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


def _kill_script(pid: int, launcher_depth: int, launcher_forks: bool) -> int | None:
    """Kill what the launcher started, and the launcher too unless it forked (then it still
    reports the peak; bwrap ends with its sandbox); if the launcher is not running yet, the
    group. Returns the largest peak resident size of what it killed, in bytes."""
    launchers = [pid]
    for _ in range(launcher_depth):
        launchers = [child for parent in launchers for child in _children(parent)][:1]
    victims = [p for launcher in launchers for p in _descendants(launcher)]
    if not launcher_forks:
        victims = launchers + victims
    peak = max((_peak_resident(victim) for victim in victims), default=None)
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    if not victims:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    return peak


def _peak_resident(pid: int) -> int:
    """A live process's peak resident size (``VmHWM``), in bytes; 0 if it is gone."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid``, parents first (a snapshot of /proc)."""
    found, queue = [], [pid]
    while queue:
        children = _children(queue.pop(0))
        found += children
        queue += children
    return found


def _children(pid: int) -> list[int]:
    """The children of ``pid``, of each of its threads."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    children: list[int] = []
    for thread in threads:
        with contextlib.suppress(OSError):
            children += map(int, Path(f"/proc/{pid}/task/{thread}/children").read_text().split())
    return children


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
            try:
                await readable.wait()
            except asyncio.CancelledError:
                # Stopped waiting (the drain's time is up, or the run was cancelled): what
                # the script wrote before it ended is in the pipe already; keep it.
                _read_what_is_there(fd, decoder, stream, sink)
                raise
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


def _read_what_is_there(
    fd: int, decoder: codecs.IncrementalDecoder, stream: Stream, sink: OutputSink
) -> None:
    while True:
        try:
            data = os.read(fd, _READ_CHUNK)
        except (BlockingIOError, OSError):
            break
        if not data:
            break
        sink.write(stream, decoder.decode(data))
    tail = decoder.decode(b"", final=True)
    if tail:
        sink.write(stream, tail)

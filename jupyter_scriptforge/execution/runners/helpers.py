"""The server's own helper processes — never a script, and never in a sandbox: a short call
of an interpreter (``call_interpreter``: what a newer Python's parser makes of a file), and
long-lived workers of the server's own Python code that read pickled requests on stdin and
write pickled answers on stdout (``PickleWorker``: the guardrails' analyses). Like every
process ScriptForge starts, they start here, among the runners."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from typing import IO, Any

_HEADER = struct.Struct(">Q")  # each message: its length, then its pickle
_STOP_SECONDS = 2.0


class HelperError(Exception):
    """A helper overran its time, could not start, or ended badly; the message says which,
    to follow "its parser" or "the analysis"."""


# --- one call --------------------------------------------------------------------------


def call_interpreter(path: str, args: list[str], data: bytes, timeout: float) -> bytes:
    """The standard output of ``path args`` given ``data`` on its standard input: run
    ``-I -S`` (no site, no user paths, no environment variable honoured), with an empty
    environment (none of the server's secrets), in ``/``, for at most ``timeout`` seconds."""
    try:
        completed = subprocess.run(
            [path, "-I", "-S", *args],
            input=data,
            capture_output=True,
            timeout=timeout,
            env={},
            cwd="/",
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise HelperError(f"did not answer within {timeout:g} s") from None
    except OSError as error:
        raise HelperError(f"could not start: {error.strerror or error}") from None
    if completed.returncode != 0:
        raise HelperError(f"stopped with {exit_status(completed.returncode)}")
    return completed.stdout


def exit_status(code: int) -> str:
    """``SIGSEGV``, ``exit status 3``: how a process ended, in words."""
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


# --- a long-lived worker ---------------------------------------------------------------


class PickleWorker:
    """A Python process running the server's own ``module.function`` (``entry``), which
    answers each pickled request with one pickled answer (its side: ``worker_pipes``,
    ``receive`` and ``send``; guardrails/workers.py's ``serve`` is one)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.expired = False

    @classmethod
    def start(
        cls, entry: str, greeting: object, ready: object, start_seconds: float
    ) -> PickleWorker:
        """Start one, send it ``greeting`` and wait up to ``start_seconds`` for ``ready``
        (``HelperError`` otherwise). It runs ``python -I`` with the server's import path,
        ``LC_ALL`` alone in its environment, in ``/``, in a session of its own (a Ctrl-C
        meant for the server is not its)."""
        if not sys.executable:
            raise HelperError("cannot start: this Python does not know its own executable")
        module, function = entry.rsplit(".", 1)
        path = [item or os.getcwd() for item in sys.path]
        bootstrap = (
            f"import sys; sys.path[:] = {path!r}; from {module} import {function}; {function}()"
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={"LC_ALL": "C.UTF-8"},
                cwd="/",
                start_new_session=True,
            )
        except OSError as error:
            raise HelperError(f"cannot start: {error}") from error
        worker = cls(process)
        # Ready once it has said so: a request's time limit is the request's alone.
        timer = threading.Timer(start_seconds, worker._expire)
        timer.daemon = True
        timer.start()
        try:
            send(_stream(process.stdin), greeting)
            answer = receive(_stream(process.stdout))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError) as error:
            worker.kill()
            raise HelperError(f"did not start: {error!r}") from error
        finally:
            timer.cancel()
        if answer != ready or worker.expired:
            worker.kill()
            raise HelperError("did not start")
        return worker

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return not self.expired and self.process.poll() is None

    def call(self, request: object, timeout: float) -> Any:
        """Its answer to ``request``; ``HelperError`` (and the worker killed) if it takes
        over ``timeout`` seconds or dies first."""
        timer = threading.Timer(timeout, self._expire)
        timer.daemon = True
        timer.start()
        try:
            send(_stream(self.process.stdin), request)
            return receive(_stream(self.process.stdout))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            timer.cancel()
            ending = "" if self.expired else self._ending()
            self.kill()
            if self.expired:
                raise HelperError(f"did not finish within {timeout:g} s") from None
            raise HelperError(f"stopped with {ending}") from None
        finally:
            timer.cancel()

    def _expire(self) -> None:
        """The timer's: the kill ends the caller's wait, and the caller reaps."""
        self.expired = True
        with contextlib.suppress(OSError):
            self.process.kill()

    def _ending(self) -> str:
        """How the process ended, once it has (a closed pipe may come just before)."""
        try:
            code = self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            return "its output closed"
        return exit_status(code)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self._reap()

    def stop(self) -> None:
        """Ask it to end (its stdin closes: it exits after the request it is on), then make
        sure."""
        with contextlib.suppress(OSError):
            _stream(self.process.stdin).close()
        try:
            self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
        self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(_STOP_SECONDS)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


# --- the wire, both sides ----------------------------------------------------------------


def worker_pipes(niceness: int) -> tuple[IO[bytes], IO[bytes]]:
    """In a worker: (requests, answers). Whatever else writes to stdout goes to stderr, not
    into the answers; the worker runs at ``niceness``, so the server keeps its share."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    with contextlib.suppress(OSError):
        os.nice(niceness)
    return sys.stdin.buffer, answers


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message; EOFError when the other side is gone. Messages come only from the
    server and its own workers (pipes nobody else holds), never from a script."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own process's answer, see above


def _stream(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None
    return stream

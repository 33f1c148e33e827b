"""Runs against running the same processes directly, measured in the same run.

- a noop script, REST submit → finished on the local runner, vs bare ``python -c pass``;
- 40 x fib(10) as one parallel group (cap 2), vs the same 40 processes two at a time;
- a noop script through the Docker runner's warm pool, vs a cold ``docker run --rm``.

The local ones run twice: on the pyenv interpreter the tests use (many site-packages, a
slow start) and on a lean one (a virtualenv with nothing installed), where ScriptForge's own
cost per run is not hidden behind the interpreter's. That fixed cost (run minus bare start)
must stay under one lean interpreter start. The group also measures the same processes each
in the local runner's sandbox started straight, without a server: the sandbox's own cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import queue
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter
from jupyter_scriptforge.execution.runners.base import RunSpec
from jupyter_scriptforge.execution.runners.isolation import LAUNCHER_PATH, choose_isolation
from jupyter_scriptforge.execution.runners.local import LocalRunner
from tests.bench.report import emit, ms, percentile
from tests.jupyter_process import running_jupyter

ROUNDS = 60
FIB = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nprint(fib(10))\n"
GROUP_SIZE = 40
# The server's own interpreter, by its real path: what the runs use here.
PYTHON = os.path.realpath(sys.executable)
IMAGES = Path(__file__).parents[2] / "images"


class Client:
    """One keep-alive connection to a real server."""

    def __init__(self, url: str, token: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self._connection = http.client.HTTPConnection(host, int(port), timeout=120)
        self._headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}

    def close(self) -> None:
        self._connection.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        payload = json.dumps(body) if body is not None else None
        self._connection.request(method, f"/scriptforge/api/{path}", payload, self._headers)
        response = self._connection.getresponse()
        data = response.read()
        assert response.status in (200, 201), data
        return json.loads(data)

    def follow_to_end(self, run_id: int) -> dict[str, Any]:
        """Read the run's event stream until its ``end`` event; return the finished run."""
        self._connection.request(
            "GET", f"/scriptforge/api/runs/{run_id}/events", None, self._headers
        )
        response = self._connection.getresponse()
        event = ""
        while True:
            line = response.readline().decode()
            if line.startswith("event: "):
                event = line.removeprefix("event: ").strip()
            elif line.startswith("data: ") and event == "end":
                response.read()
                return json.loads(line.removeprefix("data: "))  # type: ignore[no-any-return]
            elif not line:
                raise AssertionError("the event stream ended without an end event")


def bare_starts(python: str, rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([python, "-c", "pass"], check=True)
        latencies.append(time.perf_counter() - start)
    return latencies


def sandboxed_directs(python: str, content: str, tmp_path: Path) -> float:
    """Wall time of GROUP_SIZE runs of ``content``, two at a time, each in the local
    runner's sandbox started straight from here (no server, no pool)."""
    isolation = choose_isolation()
    if isolation == "process":
        pytest.fail("the sandbox's own cost is measured in a bwrap mode: install bubblewrap")
    folder = tmp_path / "launchers"
    runner = LocalRunner(isolation, [str(Path.home())], 300_000, launcher_folder=str(folder))
    asyncio.run(runner.prepare(python))
    spec = RunSpec(0, content, Interpreter("bench", "CPython", "3", python))
    uids: queue.Queue[int | None] = queue.Queue()
    for uid in (300_000, 300_001) if isolation == "bwrap" else (None, None):
        uids.put(uid)

    def one(_: int) -> None:
        uid = uids.get()
        report = os.memfd_create("peak")
        argv, files = runner.sandbox_command(spec, python, uid, report)
        try:
            subprocess.run(
                argv,
                pass_fds=[*files, report],
                env={"PATH": LAUNCHER_PATH},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=True,
            )
        finally:
            for fd in (*files, report):
                os.close(fd)
            uids.put(uid)

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, range(GROUP_SIZE)))
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def lean_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A virtualenv of the same Python with nothing installed: a fast start."""
    venv = tmp_path_factory.mktemp("lean") / "venv"
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    return str(venv / "bin" / "python")


@pytest.fixture(params=["pyenv", "lean"])
def python(request: pytest.FixtureRequest) -> str:
    return PYTHON if request.param == "pyenv" else str(request.getfixturevalue("lean_python"))


def test_noop_run_through_rest_vs_bare_interpreter_start(
    tmp_path: Path, python: str, lean_python: str
) -> None:
    extra = (f"--ScriptForgeApp.interpreters={{'bench': '{python}'}}",)
    with (
        running_jupyter(tmp_path, app="server", extra_args=extra) as server,
        contextlib.closing(Client(server.url, server.token)) as client,
    ):
        script = client.call(
            "POST", "scripts", {"name": "noop", "content": "pass\n", "interpreter": "bench"}
        )
        for _ in range(5):  # warm: interpreter discovery, connection pool, page cache
            client.follow_to_end(client.call("POST", "runs", {"script_id": script["id"]})["id"])
        runs: list[float] = []
        bare: list[float] = []
        lean: list[float] = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            run = client.call("POST", "runs", {"script_id": script["id"]})
            finished = client.follow_to_end(run["id"])
            runs.append(time.perf_counter() - start)
            assert finished["status"] == "succeeded", finished
            bare += bare_starts(python, 1)
            lean += bare_starts(lean_python, 1)

    ratio = percentile(runs, 50) / percentile(bare, 50)
    fixed = percentile(runs, 50) - percentile(bare, 50)
    emit(
        "noop run, REST submit to finished, local runner",
        interpreter=python,
        run_p50_ms=ms(percentile(runs, 50)),
        run_p95_ms=ms(percentile(runs, 95)),
        bare_p50_ms=ms(percentile(bare, 50)),
        ratio_p50=round(ratio, 3),
        fixed_cost_p50_ms=ms(fixed),
        lean_start_p50_ms=ms(percentile(lean, 50)),
        target="pyenv: ratio <= 1.3; both: fixed cost <= one lean interpreter start",
    )
    assert fixed <= percentile(lean, 50), "ScriptForge's own cost exceeds a lean start"
    if python == PYTHON:
        assert ratio <= 1.3


def test_parallel_group_of_40_fib_vs_the_processes_two_at_a_time(
    tmp_path: Path, python: str, lean_python: str
) -> None:
    extra = (
        f"--ScriptForgeApp.interpreters={{'bench': '{python}'}}",
        "--ScriptForgeApp.max_runs=2",
    )
    with (
        running_jupyter(tmp_path, app="server", extra_args=extra) as server,
        contextlib.closing(Client(server.url, server.token)) as client,
    ):
        script = client.call(
            "POST", "scripts", {"name": "fib", "content": FIB, "interpreter": "bench"}
        )
        items = [{"script_id": script["id"]}] * GROUP_SIZE
        group = client.call(
            "POST",
            "groups",
            {"name": "fib", "mode": "parallel", "max_concurrency": 2, "items": items},
        )
        client.follow_to_end(client.call("POST", "runs", {"script_id": script["id"]})["id"])
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            run = client.call("POST", "runs", {"group_id": group["id"]})
            finished = client.follow_to_end(run["id"])
            walls.append(time.perf_counter() - start)
            children = client.call("GET", f"runs/{run['id']}")["children"]
            failed = [c for c in children if c["status"] != "succeeded"]
            assert finished["status"] == "succeeded", failed[:2]
        assert len(children) == GROUP_SIZE

    script_file = tmp_path / "fib.py"
    script_file.write_text(FIB)
    directs = []
    for _ in range(3):
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(
                pool.map(
                    lambda _: subprocess.run(
                        [python, str(script_file)], check=True, capture_output=True
                    ),
                    range(GROUP_SIZE),
                )
            )
        directs.append(time.perf_counter() - start)

    boxed = [sandboxed_directs(python, FIB, tmp_path) for _ in range(3)]

    ratio = min(walls) / min(directs)
    # Two at a time: each of the 20 rounds of two runs adds ScriptForge's cost once.
    fixed_per_run = (min(walls) - min(directs)) / (GROUP_SIZE / 2)
    sandbox_per_run = (min(boxed) - min(directs)) / (GROUP_SIZE / 2)
    lean_start = percentile(bare_starts(lean_python, 20), 50)
    emit(
        "40 x fib(10), one parallel group (cap 2) vs 40 processes two at a time",
        interpreter=python,
        group_wall_ms=[ms(w) for w in walls],
        direct_wall_ms=[ms(d) for d in directs],
        ratio_best=round(ratio, 3),
        fixed_cost_per_run_ms=ms(fixed_per_run),
        # The floor: the same processes, each in the sandbox the local runner gives a run
        # (bubblewrap, setpriv as root, the launcher), started straight, no server.
        sandbox_alone_wall_ms=[ms(b) for b in boxed],
        sandbox_alone_ratio_best=round(min(boxed) / min(directs), 3),
        sandbox_alone_cost_per_run_ms=ms(sandbox_per_run),
        lean_start_p50_ms=ms(lean_start),
        target="pyenv: ratio <= 1.2; both: fixed cost per run <= one lean interpreter start",
    )
    assert fixed_per_run <= lean_start, "ScriptForge's own cost per run exceeds a lean start"
    if python == PYTHON:
        assert ratio <= 1.2


def test_noop_run_through_a_warm_docker_pool_vs_a_cold_docker_run(
    tmp_path: Path, docker_client: object
) -> None:
    # docker_client: an engine answers (as root, one is started for the benchmarks).
    image = "scriptforge/python:3.11"
    subprocess.run([str(IMAGES / "build.sh"), "python-3.11"], check=True, capture_output=True)
    with (
        running_jupyter(
            tmp_path, app="server", extra_args=("--ScriptForgeApp.warm_pool_size=2",)
        ) as server,
        contextlib.closing(Client(server.url, server.token)) as client,
    ):
        interpreter = next(
            i for i in client.call("GET", "interpreters")["interpreters"] if i["image"] == image
        )
        script = client.call("POST", "scripts", {"name": "noop", "content": "pass\n"})
        body = {
            "script_id": script["id"],
            "runner": "docker",
            "interpreter": interpreter["name"],
        }
        for _ in range(5):
            client.follow_to_end(client.call("POST", "runs", body)["id"])
        runs, cold = [], []
        for _ in range(ROUNDS // 2):
            time.sleep(0.3)  # let the pool refill, as between a user's runs
            start = time.perf_counter()
            finished = client.follow_to_end(client.call("POST", "runs", body)["id"])
            runs.append(time.perf_counter() - start)
            assert finished["status"] == "succeeded", finished
            start = time.perf_counter()
            subprocess.run(
                [
                    "docker",
                    "run",
                    "--rm",
                    "--network",
                    "none",
                    image,
                    "scriptforge-python",
                    "-c",
                    "pass",
                ],
                check=True,
            )
            cold.append(time.perf_counter() - start)

    ratio = percentile(runs, 50) / percentile(cold, 50)
    emit(
        "noop run, REST submit to finished, Docker runner with a warm pool",
        image=image,
        run_p50_ms=ms(percentile(runs, 50)),
        run_p95_ms=ms(percentile(runs, 95)),
        cold_docker_run_p50_ms=ms(percentile(cold, 50)),
        ratio_p50=round(ratio, 3),
        target="<= 0.25",
    )
    assert ratio <= 0.25

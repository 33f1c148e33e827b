"""Runs of scripts that declare dependencies (PEP 723), against the same work without
ScriptForge's environments, measured in the same run, from a loopback index.

- a script whose environment is cached, REST submit → finished, vs the same script with
  the same packages preinstalled in the interpreter (a virtualenv), run the same way;
- the first run of a new set of dependencies (resolve, install, run) vs ``uv run`` of the
  same script from a cold uv cache.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

from jupyter_scriptforge.lsp.tools import uv_executable
from tests.bench.bench_runs import PYTHON, Client
from tests.bench.report import emit, ms, percentile
from tests.bench.targets import Target, assert_targets
from tests.environments.index import PackageIndex
from tests.jupyter_process import running_jupyter

ROUNDS = 80
FIRST_RUNS = 6
IMPORTS = "import sfdemo, sfhelper\nprint(sfdemo.VERSION, sfhelper.VERSION)\n"
DECLARED = '# /// script\n# dependencies = ["sfdemo"]\n# ///\n' + IMPORTS


def _venv(folder: Path, index: PackageIndex | None = None) -> str:
    """A virtualenv of the tests' Python; with ``index``, sfdemo installed in it."""
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = str(folder / "bin" / "python")
    if index is not None:
        subprocess.run(
            [uv_executable(), "pip", "install", "--quiet", "--python", python,
             "--index-url", index.url, "sfdemo"],
            check=True,
            env={**os.environ, "UV_CACHE_DIR": str(folder.parent / "uv-venv-cache")},
        )  # fmt: skip
    return python


def _run(client: Client, script_id: int) -> tuple[float, dict]:
    start = time.perf_counter()
    run = client.call("POST", "runs", {"script_id": script_id})
    finished = client.follow_to_end(run["id"])
    return time.perf_counter() - start, finished


def test_a_cached_environment_vs_packages_preinstalled(tmp_path: Path, package_index) -> None:
    preinstalled = _venv(tmp_path / "preinstalled", package_index)
    bare = _venv(tmp_path / "bare")
    extra = (
        f"--ScriptForgeApp.interpreters={{'with': '{preinstalled}', 'bare': '{bare}'}}",
        f"--ScriptForgeApp.package_index_url={package_index.url}",
    )
    env = {"UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    with (
        running_jupyter(tmp_path / "server", app="server", extra_args=extra, env=env) as server,
        contextlib.closing(Client(server.url, server.token)) as client,
    ):
        plain = client.call(
            "POST", "scripts", {"name": "plain", "content": IMPORTS, "interpreter": "with"}
        )
        declared = client.call(
            "POST", "scripts", {"name": "declared", "content": DECLARED, "interpreter": "bare"}
        )
        for _ in range(5):  # the environment built, warm sandboxes of both kinds started
            for script in (plain, declared):
                _, done = _run(client, script["id"])
                assert done["status"] == "succeeded", done
        cached: list[float] = []
        installed: list[float] = []
        for _ in range(ROUNDS):
            took, done = _run(client, declared["id"])
            assert done["status"] == "succeeded", done
            cached.append(took)
            took, done = _run(client, plain["id"])
            installed.append(took)

    ratio = percentile(cached, 50) / percentile(installed, 50)
    emit(
        "declared dependencies, environment cached, vs preinstalled",
        cached_p50_ms=ms(percentile(cached, 50)),
        cached_p95_ms=ms(percentile(cached, 95)),
        preinstalled_p50_ms=ms(percentile(installed, 50)),
        ratio_p50=round(ratio, 3),
        target="ratio <= 1.1",
    )
    assert_targets("cached environment", Target("p50 vs preinstalled", ratio, 1.1, "x"))


def test_the_first_run_of_a_new_set_vs_uv_run(tmp_path: Path, package_index) -> None:
    bare = _venv(tmp_path / "bare")
    # A package of its own for each first run, in no cache yet on either side.
    for n in range(FIRST_RUNS * 2):
        package_index.add(f"sfnew{n}", "1.0")
    extra = (
        f"--ScriptForgeApp.interpreters={{'bare': '{bare}'}}",
        f"--ScriptForgeApp.package_index_url={package_index.url}",
    )
    firsts: list[float] = []
    uv_runs: list[float] = []
    with running_jupyter(
        tmp_path / "server", app="server", extra_args=extra,
        env={"UV_CACHE_DIR": str(tmp_path / "uv-server-cache")},
    ) as server, contextlib.closing(Client(server.url, server.token)) as client:  # fmt: skip
        for n in range(FIRST_RUNS):
            content = f'# /// script\n# dependencies = ["sfnew{n}"]\n# ///\nimport sfnew{n}\n'
            script = client.call(
                "POST", "scripts", {"name": f"first{n}", "content": content, "interpreter": "bare"}
            )
            took, done = _run(client, script["id"])
            assert done["status"] == "succeeded", done
            firsts.append(took)

            other = FIRST_RUNS + n
            path = tmp_path / f"uv{n}.py"
            path.write_text(
                f'# /// script\n# dependencies = ["sfnew{other}"]\n# ///\nimport sfnew{other}\n'
            )
            start = time.perf_counter()
            subprocess.run(
                [uv_executable(), "run", "--quiet", "--no-project", "--python", bare,
                 "--index-url", package_index.url, str(path)],
                check=True,
                env={**os.environ, "UV_CACHE_DIR": str(tmp_path / f"uv-cold-{n}")},
            )  # fmt: skip
            uv_runs.append(time.perf_counter() - start)

    ratio = percentile(firsts, 50) / percentile(uv_runs, 50)
    emit(
        "first run of a new dependency set vs uv run (cold cache)",
        first_p50_ms=ms(percentile(firsts, 50)),
        uv_run_p50_ms=ms(percentile(uv_runs, 50)),
        ratio_p50=round(ratio, 3),
        target="ratio <= 2",
    )
    assert_targets("first run", Target("p50 vs uv run", ratio, 2.0, "x"))

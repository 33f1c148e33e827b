"""``jupyter scriptforge`` driven as a user drives it, against a real running server: found
through the server's runtime file, or named with --url and --token."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jupyter_process import JupyterProcess, running_jupyter

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
GREETS = (
    "import sys\nprint('hello', *sys.argv[1:])\nprint('warned', file=sys.stderr)\nsys.exit(3)\n"
)
WAITS = "import time\nprint('started', flush=True)\ntime.sleep(120)\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterProcess]:
    work = tmp_path_factory.mktemp("cli")
    with running_jupyter(work, "server", ("--ScriptForgeApp.default_runner=local",)) as found:
        found.runtime_dir = str(work / "runtime")  # type: ignore[attr-defined]
        yield found


def api(server: JupyterProcess, method: str, path: str, body: object = None) -> dict:
    return json.loads(server.request(method, f"/scriptforge/api/{path}", body) or b"{}")


def cli(server: JupyterProcess, *args: str, found: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the command; ``found``: the server is found from its runtime file, else named."""
    named = () if found else ("--url", server.url, "--token", server.token)
    return subprocess.run(
        [JUPYTER, "scriptforge", *args, *named],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": server.runtime_dir},  # type: ignore[attr-defined]
    )


def published(server: JupyterProcess, name: str, content: str) -> dict:
    script = api(server, "POST", "scripts", {"name": name, "content": content})
    api(
        server, "POST", f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]}
    )
    return script


def test_list_finds_the_running_server_and_prints_json_for_scripts_of_scripts(server):
    script = published(server, "listed", "print(1)\n")

    table = cli(server, "list")
    listed = cli(server, "list", "--json", found=False)

    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == [
        "ID",
        "PATH",
        "INTERPRETER",
        "VISIBILITY",
        "OWNER",
    ]
    assert "scripts/listed.py" in table.stdout
    assert listed.returncode == 0, listed.stderr
    assert script["id"] in [item["id"] for item in json.loads(listed.stdout)]


def test_cat_prints_the_head_or_a_chosen_version(server):
    script = api(
        server, "POST", "scripts", {"name": "twice", "folder": "tools", "content": "x = 1\n"}
    )
    api(server, "POST", f"scripts/{script['id']}/versions", {"content": "x = 2\n"})

    head = cli(server, "cat", "tools/twice")
    first = cli(server, "cat", str(script["id"]), "--version", "v1")
    versions = cli(server, "versions", "tools/twice", "--json")

    assert (head.returncode, head.stdout) == (0, "x = 2\n")
    assert (first.returncode, first.stdout) == (0, "x = 1\n")
    assert [v["seq"] for v in json.loads(versions.stdout)] == [2, 1]


def test_run_follow_streams_the_output_and_exits_with_the_script_s_code(server):
    published(server, "greets", GREETS)

    done = cli(server, "run", "greets", "team", "--follow")
    runs = json.loads(cli(server, "runs", "greets", "--json").stdout)

    assert done.returncode == 3
    assert done.stdout == "hello team\n"
    assert done.stderr == "warned\n"
    assert runs[0]["status"] == "failed"
    assert runs[0]["args"] == ["team"]


def test_ctrl_c_cancels_the_run_it_follows(server):
    published(server, "waits", WAITS)
    with subprocess.Popen(
        [JUPYTER, "scriptforge", "run", "waits", "--follow"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": server.runtime_dir},  # type: ignore[attr-defined]
    ) as command:
        assert command.stdout is not None
        assert command.stderr is not None
        first_line = command.stdout.readline()
        command.send_signal(signal.SIGINT)
        code = command.wait(timeout=30)
        stderr = command.stderr.read()
    script = json.loads(cli(server, "show", "waits", "--json").stdout)
    deadline = time.monotonic() + 30
    while (run := api(server, "GET", f"runs?script_id={script['id']}")["runs"][0])["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, run
        time.sleep(0.2)

    assert first_line == "started\n"
    assert code == 130
    assert "cancelled" in stderr
    assert "Traceback" not in stderr
    assert run["status"] == "cancelled"


def test_an_error_is_one_line_on_stderr_and_a_failure_exit(server):
    missing = cli(server, "show", "nosuch")
    unreachable = subprocess.run(
        [JUPYTER, "scriptforge", "list", "--url", "http://127.0.0.1:9/", "--token", "x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    bad_token = subprocess.run(
        [JUPYTER, "scriptforge", "list", "--url", server.url, "--token", "wrong"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    for answer in (missing, unreachable, bad_token):
        assert answer.returncode == 1, answer
        assert len(answer.stderr.splitlines()) == 1, answer.stderr
        assert "Traceback" not in answer.stderr
    assert "no script 'nosuch'" in missing.stderr
    assert "cannot reach" in unreachable.stderr
    assert "403" in bad_token.stderr or "forbidden" in bad_token.stderr.lower()


def test_schedules_are_added_listed_and_paused(server):
    published(server, "nightly", "print('night')\n")
    draft = api(server, "POST", "scripts", {"name": "draft", "content": "print(0)\n"})

    added = cli(
        server, "schedule", "add", "nightly", "30 2 * * *", "--timezone", "Europe/Berlin", "--json"
    )
    refused = cli(server, "schedule", "add", "draft", "30 2 * * *")
    bad = cli(server, "schedule", "add", "nightly", "99 * * * *")
    schedule = json.loads(added.stdout)
    paused = cli(server, "schedule", "pause", str(schedule["id"]))
    listed = cli(server, "schedule", "list")

    assert added.returncode == 0, added.stderr
    assert len(schedule["next"]) == 5
    assert all("T02:30:00+0" in moment or "T03:00:00+02" in moment for moment in schedule["next"])
    assert refused.returncode == 1
    assert "no published version" in refused.stderr
    assert draft["id"] > 0
    assert (bad.returncode, len(bad.stderr.splitlines())) == (1, 1)
    assert "99 * * * *" in bad.stderr
    assert paused.returncode == 0
    assert "paused" in paused.stdout
    row = next(line for line in listed.stdout.splitlines() if line.startswith(str(schedule["id"])))
    assert "paused" in row.split()
    assert "Europe/Berlin" in row


def test_every_subcommand_has_help(server):
    for command in (["list"], ["run"], ["cat"], ["schedule", "add"], ["schedule"]):
        answer = subprocess.run(
            [JUPYTER, "scriptforge", *command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert answer.returncode == 0, (command, answer.stderr)
        assert "jupyter scriptforge" in answer.stdout or "Subcommands" in answer.stdout, command


def test_push_saves_files_as_versions_and_pull_writes_the_published_ones(server, tmp_path):
    existing = api(
        server, "POST", "scripts", {"name": "pushed", "folder": "etl", "content": "a = 1\n"}
    )
    (tmp_path / "pushed.py").write_text("a = 2\n")
    (tmp_path / "brand_new.py").write_text("b = 1\n")

    pushed = cli(
        server,
        "push",
        str(tmp_path / "pushed.py"),
        str(tmp_path / "brand_new.py"),
        "--folder",
        "etl",
        "--json",
    )
    published = cli(server, "publish", "etl/pushed")
    api(
        server, "POST", f"scripts/{existing['id']}/versions", {"content": "a = 3\n"}
    )  # not published
    diff = cli(server, "diff", "etl/pushed", "v1", "v2")
    pulled = cli(server, "pull", "etl", "--to", str(tmp_path / "out"))

    assert pushed.returncode == 0, pushed.stderr
    states = {Path(item["path"]).name: item["state"] for item in json.loads(pushed.stdout)}
    assert states == {"pushed.py": "v2", "brand_new.py": "new, v1"}
    assert published.returncode == 0, published.stderr
    assert "v2" in published.stdout
    assert "-a = 1" in diff.stdout
    assert "+a = 2" in diff.stdout
    assert pulled.returncode == 0, pulled.stderr
    # The published version, not the head; a script never published is not pulled.
    assert (tmp_path / "out" / "etl" / "pushed.py").read_text() == "a = 2\n"
    assert not (tmp_path / "out" / "etl" / "brand_new.py").exists()


def test_group_run_follow_exits_by_the_group_s_outcome(server):
    good = api(server, "POST", "scripts", {"name": "good_item", "content": "print('ok')\n"})
    bad = api(server, "POST", "scripts", {"name": "bad_item", "content": "raise SystemExit(2)\n"})
    api(server, "POST", "groups", {"name": "nightly_ok", "items": [{"script_id": good["id"]}]})
    api(
        server,
        "POST",
        "groups",
        {"name": "nightly_bad", "items": [{"script_id": good["id"]}, {"script_id": bad["id"]}]},
    )

    passing = cli(server, "group", "run", "nightly_ok", "--follow")
    failing = cli(server, "group", "run", "nightly_bad", "--follow")
    missing = cli(server, "group", "run", "nosuch")

    assert passing.returncode == 0, passing.stderr
    assert "succeeded" in passing.stdout
    assert failing.returncode == 1
    assert "failed" in failing.stdout
    assert (missing.returncode, missing.stderr.count("\n")) == (1, 1)
    assert "no group 'nosuch'" in missing.stderr


REPORTS = """import os, pathlib
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "charts").mkdir()
(out / "charts" / "total.svg").write_text("<svg/>")
(out / "report.csv").write_text("day,total\\n1,42\\n")
"""


def test_artifacts_are_listed_and_downloaded_into_a_folder(server, tmp_path):
    published(server, "reports", REPORTS)
    assert cli(server, "run", "reports", "--follow").returncode == 0
    run = json.loads(cli(server, "runs", "reports", "--json").stdout)[0]

    listing = cli(server, "artifacts", str(run["id"]))
    everything = cli(server, "artifacts", str(run["id"]), "--to", str(tmp_path / "all"))
    one = cli(server, "artifacts", str(run["id"]), "report.csv", "--to", str(tmp_path / "one"))
    unknown = cli(server, "artifacts", str(run["id"]), "nope.txt", "--to", str(tmp_path / "x"))

    assert run["artifact_files"] == 2
    assert [line.split()[:2] for line in listing.stdout.splitlines()] == [
        ["PATH", "BYTES"],
        ["charts/total.svg", "6"],
        ["report.csv", "15"],
    ]
    assert everything.returncode == 0, everything.stderr
    assert (tmp_path / "all" / "charts" / "total.svg").read_text() == "<svg/>"
    assert (tmp_path / "all" / "report.csv").read_text() == "day,total\n1,42\n"
    assert one.returncode == 0, one.stderr
    assert one.stdout == f"{tmp_path / 'one' / 'report.csv'}\n"
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["report.csv"]
    assert unknown.returncode == 1
    assert (
        unknown.stderr
        == f"jupyter scriptforge artifacts: run {run['id']} kept no file 'nope.txt'\n"
    )
    assert not (tmp_path / "x").exists()


TAKES = """import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--who", required=True)
parser.add_argument("--count", type=int, default=1)
parser.add_argument("--loud", action="store_true")
args = parser.parse_args()
print(args.who * args.count, args.loud)
"""


def test_run_takes_parameter_values_typed_as_the_script_declares_them(server):
    published(server, "takes", TAKES)

    done = cli(
        server, "run", "takes", "--param", "who=ab", "--param", "count=3", "--param",
        "loud=yes", "--follow",
    )  # fmt: skip
    refused = cli(server, "run", "takes", "--param", "who=ab", "--param", "count=many")
    unknown = cli(server, "run", "takes", "--param", "who=ab", "--param", "colour=red")

    assert (done.returncode, done.stdout) == (0, "ababab True\n"), done.stderr
    run = json.loads(cli(server, "runs", "takes", "--json").stdout)[0]
    assert run["parameters"] == {"who": "ab", "count": 3, "loud": True}
    assert refused.returncode == 1
    assert refused.stderr.startswith("jupyter scriptforge run: Parameter 'count':")
    assert unknown.stderr == "jupyter scriptforge run: There is no parameter 'colour'.\n"

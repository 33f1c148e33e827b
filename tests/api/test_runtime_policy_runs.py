"""The runtime policy on a real server: which runs get it, what a refusal looks like in a
run's output, and its record in the audit log (runtime_policy = assistant, the default)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_assistant import jp_server_config, user
from tests.api.test_holds import accept
from tests.api.test_runs import finished, output_text

__all__ = ["jp_server_config", "user"]

REFUSED = "[scriptforge] runtime policy refused SF204"
# Nothing a static analysis of names can object to: it writes outside the run's folders.
ESCAPING = (
    "from pathlib import Path\n"
    "target = Path.home().parent.parent / 'var' / 'tmp' / 'scriptforge-escape.txt'\n"
    "target.write_text('escaped')\n"
    "print('wrote', target)\n"
)


@pytest.fixture
def jupyter_ai() -> None:
    """No model: accepting code does not ask one."""
    return None


async def test_the_assistants_version_runs_guarded_and_its_refusals_are_audited(
    api: Any, user: str
) -> None:
    by_hand = await api.create("by-hand", content=ESCAPING)
    script = await api.create("escape", content="print('mine')\n")
    accepted = await accept(api, script["id"], ESCAPING, script["head_version_id"])
    assert accepted.status == 201, accepted.body

    unguarded = await finished(api, (await _run(api, by_hand["id"]))["id"])
    guarded = await finished(api, (await _run(api, script["id"]))["id"])

    # A user's own version is theirs to run as the sandbox allows (here: read-only files).
    assert REFUSED not in await output_text(api, unguarded["id"])
    output = await output_text(api, guarded["id"], "stderr")
    assert guarded["status"] == "failed"
    assert REFUSED in output
    assert "scriptforge-escape.txt" in output
    audit = (await api.get("audit", action="runtime_refused")).body
    [record] = [r for r in audit["records"] if r["details"]["run_id"] == guarded["id"]]
    assert record["user"] == user
    assert record["details"]["rules"] == ["SF204"]
    assert REFUSED in record["response"]


async def test_the_users_own_lines_act_freely_in_the_assistants_version(api: Any) -> None:
    """An edit by the assistant keeps the user's lines: acts made from them alone are the
    user's; the same act reached from a line the assistant added is refused."""
    own = (
        "from pathlib import Path\n"
        "def keep(text):\n"
        "    Path.home().parent.parent.joinpath('var', 'tmp', 'mine.txt').write_text(text)\n"
        "print('start')\n"
        "keep('mine')\n"
    )
    script = await api.create("keeper", content=own)
    edited = own.replace("print('start')", "print('started')")
    worse = edited.replace("keep('mine')", "keep('from the assistant')")

    kept = await accept(api, script["id"], edited, script["head_version_id"])
    quiet = await finished(api, (await _run(api, script["id"]))["id"])
    changed = await accept(api, script["id"], worse, kept.body["id"])
    refused = await finished(api, (await _run(api, script["id"]))["id"])

    # The user's own write reaches the file system (read-only in the sandbox), unrefused.
    assert changed.status == 201, changed.body
    assert REFUSED not in await output_text(api, quiet["id"])
    assert "Read-only file system" in await output_text(api, quiet["id"])
    assert REFUSED in await output_text(api, refused["id"], "stderr")


async def _run(api: Any, script_id: int) -> dict[str, Any]:
    response = await api.post("runs", {"script_id": script_id, "source": "head"})
    assert response.status == 201, response.body
    return response.body  # type: ignore[no-any-return]


async def test_a_guarded_run_keeps_what_it_writes_to_its_output_folder(api: Any) -> None:
    script = await api.create("guarded-report", content="print('mine')\n")
    writes = (
        "import os, pathlib\n"
        "out = pathlib.Path(os.environ['SCRIPTFORGE_OUTPUT'])\n"
        "(out / 'report.txt').write_text('kept under the policy')\n"
    )
    accepted = await accept(api, script["id"], writes, script["head_version_id"])
    assert accepted.status == 201, accepted.body

    run = await finished(api, (await _run(api, script["id"]))["id"])

    assert run["status"] == "succeeded", await output_text(api, run["id"])
    assert REFUSED not in await output_text(api, run["id"])
    listing = (await api.get(f"runs/{run['id']}/artifacts")).body
    assert [a["path"] for a in listing["artifacts"]] == ["report.txt"]

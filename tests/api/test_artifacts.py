"""Artifacts through the REST API: a run's kept files listed and downloaded, a sequential
group's later item reading an earlier item's, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest

from jupyter_scriptforge.errors import NotFound
from jupyter_scriptforge.services import services_of
from tests.api.test_runs import finished, output_text


async def download(api: Any, run_id: int, path: str) -> Any:
    return await api.call("GET", f"runs/{run_id}/artifact", params={"path": path})


REPORT = """import os, pathlib
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "tables").mkdir()
(out / "tables" / "sales é.csv").write_text("day,total\\n1,42\\n")
(out / "summary.txt").write_text("42")
"""


async def test_a_runs_kept_files_are_listed_and_downloaded(api):
    script = await api.create("report", content=REPORT)
    started = await api.post(
        "runs", {"script_id": script["id"], "version_id": script["head_version_id"]}
    )

    run = await finished(api, started.body["id"])

    assert run["status"] == "succeeded"
    assert run["artifact_files"] == 2
    listing = (await api.get(f"runs/{run['id']}/artifacts")).body
    assert [(a["path"], a["size"]) for a in listing["artifacts"]] == [
        ("summary.txt", 2),
        ("tables/sales é.csv", 15),
    ]
    assert listing["bytes"] == 17
    file = await download(api, run["id"], "tables/sales é.csv")
    assert file.status == 200
    assert file.body == b"day,total\n1,42\n"
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert file.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_run_without_files_lists_none_and_unknown_names_are_404(api):
    script = await api.create("quiet", content="print('nothing kept')\n")
    started = await api.post(
        "runs", {"script_id": script["id"], "version_id": script["head_version_id"]}
    )
    run = await finished(api, started.body["id"])

    assert run["artifact_files"] == 0
    assert (await api.get(f"runs/{run['id']}/artifacts")).body == {"artifacts": [], "bytes": 0}
    assert (await download(api, run["id"], "summary.txt")).status == 404
    assert (await download(api, run["id"], "../../scriptforge.db")).status == 404
    assert (await api.get(f"runs/{run['id']}/artifact")).status == 400
    assert (await api.get("runs/999999/artifacts")).status == 404


async def test_another_users_run_has_no_artifacts_for_you(api, jp_serverapp):
    script = await api.create("private", content=REPORT)
    started = await api.post(
        "runs", {"script_id": script["id"], "version_id": script["head_version_id"]}
    )
    run = await finished(api, started.body["id"])
    artifacts = services_of(jp_serverapp.web_app.settings).artifacts

    with pytest.raises(NotFound):
        await artifacts.listing("mallory", run["id"])
    with pytest.raises(NotFound):
        await artifacts.file("mallory", run["id"], "summary.txt")


CONSUMER = """import os, pathlib
inputs = pathlib.Path(os.environ["SCRIPTFORGE_INPUTS"])
print(sorted(p.name for p in inputs.iterdir()))
print((inputs / "1" / "summary.txt").read_text())
"""


async def test_a_sequential_groups_later_item_reads_what_an_earlier_item_kept(api):
    report = await api.create("producer", content=REPORT)
    consumer = await api.create("consumer", content=CONSUMER)
    for script in (report, consumer):
        await api.post(f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]})
    items = [{"script_id": report["id"]}, {"script_id": consumer["id"]}]
    group = (await api.post("groups", {"name": "pipeline", "items": items})).body

    run = await finished(api, (await api.post("runs", {"group_id": group["id"]})).body["id"])

    assert [c["status"] for c in run["children"]] == ["succeeded", "succeeded"]
    second = run["children"][1]["id"]
    assert await output_text(api, second, "stdout") == "['1']\n42\n"

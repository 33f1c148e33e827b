"""Working copies: files JupyterLab edits, kept in step with the version store."""

import json

from jupyter_scriptforge.catalog.script_requests import NewScript
from jupyter_scriptforge.rights import Actor
from jupyter_scriptforge.services import services_of


async def save_in_jupyterlab(jp_fetch, path: str, content: str) -> None:
    """What JupyterLab's editor does on Ctrl+S: PUT the file through the contents API."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        await jp_fetch(
            "api",
            "contents",
            *parts[:depth],
            method="PUT",
            body=json.dumps({"type": "directory"}),
        )
    body = json.dumps({"type": "file", "format": "text", "content": content})
    response = await jp_fetch("api", "contents", *path.split("/"), method="PUT", body=body)
    assert response.code in (200, 201)


async def test_saving_in_jupyterlab_records_a_snapshot(api, jp_fetch, background):
    script = await api.create("analysis", folder="team", content="x = 1\n")

    await save_in_jupyterlab(jp_fetch, script["path"], "x = 2\n")
    await background.idle()

    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert [v["message"] for v in history] == ["Saved in JupyterLab", "Created"]
    assert await api.content(history[0]["id"]) == "x = 2\n"


async def test_a_new_py_file_in_the_scripts_folder_is_adopted(api, jp_fetch, background):
    await save_in_jupyterlab(jp_fetch, "scripts/tools/new_tool.py", "print('new')\n")
    await background.idle()

    items = (await api.get("scripts", folder="tools")).body["items"]
    assert [s["name"] for s in items] == ["new_tool"]
    assert await api.content(items[0]["head_version_id"]) == "print('new')\n"


async def test_files_outside_the_scripts_folder_are_left_alone(api, jp_fetch, background):
    await save_in_jupyterlab(jp_fetch, "notes/elsewhere.py", "x = 1\n")
    await save_in_jupyterlab(jp_fetch, "scripts/readme.txt", "not python\n")
    await background.idle()

    assert (await api.get("scripts")).body["items"] == []


async def test_an_edit_made_outside_jupyter_is_snapshotted_not_overwritten(api, scripts_root):
    script = await api.create("batch", visibility="team", content="v1\n")
    await api.post(f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]})
    (scripts_root / "batch.py").write_text("edited in vim\n")

    opened = await api.post(f"scripts/{script['id']}/open")

    assert opened.status == 200
    assert (scripts_root / "batch.py").read_text() == "edited in vim\n"
    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert history[0]["message"] == "Edited outside Jupyter"
    assert await api.content(history[0]["id"]) == "edited in vim\n"


async def test_opening_a_team_script_with_a_missing_file_writes_the_published_content(
    api, scripts_root
):
    script = await api.create("shared", visibility="team", content="published\n")
    await api.post(f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]})
    await api.save(script["id"], "draft, not published\n")
    (scripts_root / "shared.py").unlink()

    opened = await api.post(f"scripts/{script['id']}/open")

    assert opened.body["path"] == "scripts/shared.py"
    assert (scripts_root / "shared.py").read_text() == "published\n"


async def test_opening_a_team_script_older_than_published_brings_it_up_to_date(
    api, scripts_root, jp_serverapp
):
    script = await api.create("teamwork", visibility="team", content="old\n")
    # A teammate saves and publishes from their own server: this user's copy still holds v1.
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    newer = await catalog.save_version(script["id"], "newer\n", Actor.with_all_rights("teammate"))
    await api.post(f"scripts/{script['id']}/publish", {"version_id": newer.version.id})
    assert (scripts_root / "teamwork.py").read_text() == "old\n"

    await api.post(f"scripts/{script['id']}/open")

    assert (scripts_root / "teamwork.py").read_text() == "newer\n"
    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert len(history) == 2, "bringing a copy up to date records no version"


async def test_opening_a_private_script_with_a_missing_file_writes_the_head(api, scripts_root):
    script = await api.create("mine", content="v1\n")
    await api.save(script["id"], "v2\n")
    (scripts_root / "mine.py").unlink()

    await api.post(f"scripts/{script['id']}/open")

    assert (scripts_root / "mine.py").read_text() == "v2\n"


async def test_an_api_save_updates_an_untouched_working_copy(api, scripts_root, background):
    script = await api.create("follow", content="v1\n")

    await api.save(script["id"], "v2\n")
    await background.idle()

    assert (scripts_root / "follow.py").read_text() == "v2\n"


async def test_an_api_save_never_overwrites_unsaved_edits(api, scripts_root, background):
    script = await api.create("careful", content="v1\n")
    (scripts_root / "careful.py").write_text("my unsaved work\n")

    await api.save(script["id"], "v2 from elsewhere\n")
    await background.idle()

    assert (scripts_root / "careful.py").read_text() == "my unsaved work\n"
    await api.post(f"scripts/{script['id']}/open")
    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert await api.content(history[0]["id"]) == "my unsaved work\n"
    assert await api.content(history[1]["id"]) == "v2 from elsewhere\n"


async def test_a_file_that_is_not_utf8_is_ignored(api, scripts_root, background, jp_serverapp):
    scripts_root.mkdir(parents=True, exist_ok=True)
    (scripts_root / "latin1.py").write_bytes("caf\xe9 = 1\n".encode("latin-1"))
    catalog = services_of(jp_serverapp.web_app.settings).catalog

    changed = await catalog.scan("tester")

    assert changed == 0
    assert (await api.get("scripts")).body["items"] == []


async def test_a_scan_adopts_files_and_snapshots_outside_edits(api, scripts_root, jp_serverapp):
    script = await api.create("known", content="v1\n")
    (scripts_root / "known.py").write_text("changed by git pull\n")
    (scripts_root / "sub").mkdir()
    (scripts_root / "sub" / "fresh.py").write_text("fresh = True\n")
    catalog = services_of(jp_serverapp.web_app.settings).catalog

    changed = await catalog.scan(script["owner"])

    assert changed == 2
    names = [(s["folder"], s["name"]) for s in (await api.get("scripts")).body["items"]]
    assert names == [("", "known"), ("sub", "fresh")]
    head = (await api.get(f"scripts/{script['id']}")).body["head_version_id"]
    assert await api.content(head) == "changed by git pull\n"
    assert await catalog.scan(script["owner"]) == 0, "a second scan finds nothing new"


async def test_a_deleted_scripts_untouched_copy_is_not_adopted_again(
    api, scripts_root, jp_serverapp
):
    script = await api.create("retired", visibility="team", content="old job\n")
    await api.delete(f"scripts/{script['id']}")
    # The same file, untouched, on a server that did not do the delete:
    (scripts_root / "retired.py").write_text("old job\n")
    catalog = services_of(jp_serverapp.web_app.settings).catalog

    assert await catalog.scan(script["owner"]) == 0
    assert (await api.get("scripts")).body["items"] == []

    # Edited since, it is someone's work: it is kept as a new script.
    (scripts_root / "retired.py").write_text("old job, revived\n")
    assert await catalog.scan(script["owner"]) == 1
    assert [s["name"] for s in (await api.get("scripts")).body["items"]] == ["retired"]


async def test_delete_keeps_a_file_the_store_could_not_take(api, scripts_root):
    script = await api.create("binary", content="x = 1\n")
    (scripts_root / "binary.py").write_bytes("caf\xe9 = 1\n".encode("latin-1"))

    assert (await api.delete(f"scripts/{script['id']}")).status == 200

    assert (scripts_root / "binary.py").read_bytes() == "caf\xe9 = 1\n".encode("latin-1")


async def test_an_old_copy_does_not_become_the_head_of_a_new_script_of_that_name(
    api, scripts_root, jp_serverapp
):
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    old = await catalog.create(
        Actor.with_all_rights("bob"),
        NewScript(name="report", visibility="team", content="old report\n"),
    )
    await catalog.delete(old.id, Actor.with_all_rights("bob"))
    new = await catalog.create(
        Actor.with_all_rights("alice"),
        NewScript(name="report", visibility="team", content="new report\n"),
    )
    # Bob's own server still has his untouched copy of the deleted script.
    (scripts_root / "report.py").write_text("old report\n")

    assert await catalog.scan("bob") == 0

    history = (await api.get(f"scripts/{new.id}/versions")).body["items"]
    assert [v["author"] for v in history] == ["alice"]

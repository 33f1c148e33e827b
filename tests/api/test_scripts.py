"""The catalog through the REST API, on SQLite and on PostgreSQL."""

import json

import pytest

from jupyter_scriptforge.services import services_of


async def test_create_writes_the_working_copy_and_a_first_version(api, scripts_root):
    script = await api.create(
        "report",
        folder="sales/monthly",
        description="Monthly sales report",
        tags=["Finance", "monthly"],
        interpreter="cpython-3.12",
        visibility="team",
        content="print('hello')\n",
    )

    assert script["path"] == "scripts/sales/monthly/report.py"
    assert script["tags"] == ["finance", "monthly"]
    assert script["visibility"] == "team"
    assert (scripts_root / "sales/monthly/report.py").read_text() == "print('hello')\n"
    assert await api.content(script["head_version_id"]) == "print('hello')\n"
    fetched = await api.get(f"scripts/{script['id']}")
    assert fetched.body == script


async def test_a_name_loses_one_py_suffix_created_or_renamed_alike(api, scripts_root):
    script = await api.create("report.py.py")
    renamed = await api.patch(f"scripts/{script['id']}", {"name": "summary.py.py"})

    assert script["name"] == "report.py"
    assert renamed.body["name"] == "summary.py"
    assert (scripts_root / "summary.py.py").exists()


async def test_name_is_unique_within_its_folder(api):
    await api.create("etl", folder="a")

    clash = await api.post("scripts", {"name": "etl", "folder": "a"})
    elsewhere = await api.post("scripts", {"name": "etl", "folder": "b"})

    assert clash.status == 409
    assert "already" in clash.body["message"]
    assert elsewhere.status == 201
    listed = await api.get("scripts")
    assert [(s["folder"], s["name"]) for s in listed.body["items"]] == [("a", "etl"), ("b", "etl")]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "../escape"},
        {"name": ""},
        {"name": "ok", "folder": "../up"},
        {"name": "ok", "folder": "a/./b"},
        {"name": "ok", "tags": ["not a tag!"]},
        {"name": "ok", "tags": "finance"},
        {"name": "ok", "visibility": "public"},
        {"name": "ok", "interpreter": "/usr/bin/python3"},
        {"name": "ok", "content": 42},
        {"name": 7},
        {"name": "ok", "owner": "someone-else"},
        {"folder": "only"},
    ],
)
async def test_bad_input_is_a_400_and_creates_nothing(api, scripts_root, body):
    response = await api.post("scripts", body)

    assert response.status == 400
    assert response.body["error"] == "bad_request"
    assert response.body["message"]
    assert (await api.get("scripts")).body["items"] == []
    assert not scripts_root.exists() or not any(scripts_root.rglob("*.py"))


async def test_a_body_that_is_not_a_json_object_is_a_400(jp_fetch):
    for body in (b"{not json", b"[1, 2]"):
        response = await jp_fetch(
            "scriptforge", "api", "scripts", method="POST", body=body, raise_error=False
        )
        assert response.code == 400
        assert "JSON" in json.loads(response.body)["message"]


async def test_too_large_content_is_a_413(api):
    response = await api.post("scripts", {"name": "big", "content": "x" * ((1 << 20) + 1)})

    assert response.status == 413
    assert response.body["error"] == "too_large"
    assert (await api.get("scripts")).body["items"] == []


async def test_list_filters_by_folder_tag_owner_and_text(api):
    await api.create("load_orders", folder="etl", tags=["nightly"], content="import csv\n")
    await api.create(
        "report", folder="sales", description="Quarterly revenue", content="import pandas\n"
    )
    await api.create("cleanup", folder="etl", tags=["nightly", "ops"], content="shutil.rmtree\n")

    async def names(**params):
        response = await api.get("scripts", **params)
        assert response.status == 200
        return [s["name"] for s in response.body["items"]]

    assert await names(folder="etl") == ["cleanup", "load_orders"]
    assert await names(tag="ops") == ["cleanup"]
    assert await names(tag="nightly") == ["cleanup", "load_orders"]
    assert await names(owner="nobody") == []
    assert len(await names(owner=(await api.get("scripts")).body["items"][0]["owner"])) == 3
    assert await names(q="order") == ["load_orders"]  # part of a name
    assert await names(q="revenue") == ["report"]  # a word of the description
    assert await names(q="pandas") == ["report"]  # a word of the content
    assert await names(q="rmtr") == ["cleanup"]  # the start of a word of the content
    assert await names(q="nothing-like-this") == []


async def test_content_search_follows_new_versions(api):
    script = await api.create("job", content="alpha = 1\n")
    assert [s["name"] for s in (await api.get("scripts", q="alpha")).body["items"]] == ["job"]

    await api.save(script["id"], "beta = 2\n")

    assert (await api.get("scripts", q="alpha")).body["items"] == []
    assert [s["name"] for s in (await api.get("scripts", q="beta")).body["items"]] == ["job"]


async def test_cursor_pagination_returns_every_script_once(api):
    created = {(await api.create(f"s{i:02d}", folder=f"f{i % 3}"))["id"] for i in range(23)}

    seen, cursor, pages = [], None, 0
    while True:
        response = await api.get("scripts", limit=5, cursor=cursor)
        assert response.status == 200
        seen += [s["id"] for s in response.body["items"]]
        pages += 1
        cursor = response.body["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))
    assert pages == 5


@pytest.mark.parametrize("params", [{"cursor": "garbage"}, {"limit": 0}, {"limit": "ten"}])
async def test_bad_list_parameters_are_400(api, params):
    response = await api.get("scripts", **params)

    assert response.status == 400


async def test_rename_and_move_move_the_working_copy(api, scripts_root):
    script = await api.create("draft", content="x = 1\n")

    response = await api.patch(f"scripts/{script['id']}", {"name": "final", "folder": "done"})

    assert response.status == 200
    assert response.body["path"] == "scripts/done/final.py"
    assert (scripts_root / "done/final.py").read_text() == "x = 1\n"
    assert not (scripts_root / "draft.py").exists()


async def test_rename_onto_a_taken_name_is_a_409_and_changes_nothing(api, scripts_root):
    first = await api.create("one", content="1\n")
    await api.create("two", content="2\n")

    response = await api.patch(f"scripts/{first['id']}", {"name": "two"})

    assert response.status == 409
    assert (await api.get(f"scripts/{first['id']}")).body["name"] == "one"
    assert (scripts_root / "one.py").read_text() == "1\n"
    assert (scripts_root / "two.py").read_text() == "2\n"


async def test_bad_patches_are_400_and_change_nothing(api):
    script = await api.create("keep", description="as is")

    bad_bodies = (
        {"name": "bad/name"},
        {"tags": [1]},
        {"owner": ""},
        {"owner": "a/b"},
        {"colour": "x"},
        {"deleted": True},
    )
    for body in bad_bodies:
        response = await api.patch(f"scripts/{script['id']}", body)
        assert response.status == 400, body

    assert (await api.get(f"scripts/{script['id']}")).body == script


async def test_delete_is_soft_and_restorable(api, scripts_root):
    script = await api.create("old", content="keep me\n")
    await api.save(script["id"], "keep me too\n")

    deleted = await api.delete(f"scripts/{script['id']}")

    assert deleted.status == 200
    assert deleted.body["deleted_at"] is not None
    assert not (scripts_root / "old.py").exists()
    assert (await api.get("scripts")).body["items"] == []
    listed = await api.get("scripts", deleted="true")
    assert [s["id"] for s in listed.body["items"]] == [script["id"]]
    assert (await api.delete(f"scripts/{script['id']}")).status == 404

    restored = await api.patch(f"scripts/{script['id']}", {"deleted": False})

    assert restored.status == 200
    assert restored.body["deleted_at"] is None
    assert (scripts_root / "old.py").read_text() == "keep me too\n"
    history = await api.get(f"scripts/{script['id']}/versions")
    assert len(history.body["items"]) == 2


async def test_a_deleted_name_can_be_reused(api):
    script = await api.create("reuse")
    await api.delete(f"scripts/{script['id']}")

    again = await api.post("scripts", {"name": "reuse"})

    assert again.status == 201
    restore = await api.patch(f"scripts/{script['id']}", {"deleted": False})
    assert restore.status == 409


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_script_is_a_404(api, method):
    response = await api.call(
        method, "scripts/999999", {"name": "x"} if method == "PATCH" else None
    )

    assert response.status == 404
    assert response.body["error"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "nul", "description": "a\u0000b"},
        {"name": "surrogate", "description": "\ud800"},
        {"name": "surrogate-content", "content": "x = '\udfff'"},
        {"name": "nul\u0000name"},
        {"name": "tags", "tags": ["ok", "\ud800"]},
    ],
)
async def test_text_no_database_can_store_is_a_400(api, body):
    response = await api.post("scripts", body)

    assert response.status == 400
    assert (await api.get("scripts")).body["items"] == []


async def test_nul_in_content_is_kept_byte_for_byte(api):
    script = await api.create("nul_content", content="a = '\u0000'\n")

    assert await api.content(script["head_version_id"]) == "a = '\u0000'\n"


@pytest.mark.parametrize(
    "decoded",
    ['["", "a", 100000000000000000000]', '["", "a", true]', '["", "a\\u0000", 1]', "[1, 2, 3]"],
)
async def test_forged_cursors_are_400(api, decoded):
    import base64

    cursor = base64.urlsafe_b64encode(decoded.encode()).decode().rstrip("=")

    assert (await api.get("scripts", cursor=cursor)).status == 400


async def test_search_ignores_accents_the_same_on_both_databases(api):
    await api.create("cv", description="Résumé of the naïve approach")

    names = [s["name"] for s in (await api.get("scripts", q="resume naive")).body["items"]]

    assert names == ["cv"]


async def test_search_still_works_with_a_very_large_script(api):
    words = " ".join(f"w{n:07d}" for n in range(100_000))  # ~900 KB of distinct words
    await api.create("huge", content=f"# {words}\n")
    await api.create("small", content="needle = 1\n")

    assert [s["name"] for s in (await api.get("scripts", q="needle")).body["items"]] == ["small"]
    assert [s["name"] for s in (await api.get("scripts", q="w0000007")).body["items"]] == ["huge"]


async def test_folders_and_tags_count_the_scripts_this_user_may_see(api, jp_serverapp):
    await api.create("load_orders", folder="etl", tags=["nightly"])
    await api.create("cleanup", folder="etl", tags=["nightly", "ops"])
    await api.create("top")
    gone = await api.create("old", folder="archive", tags=["ops"])
    await api.delete(f"scripts/{gone['id']}")
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    catalog.create_sync("someone-else", name="secret", folder="hidden", tags=["private-tag"])
    catalog.create_sync("someone-else", name="shared", folder="etl", visibility="team")

    folders = await api.get("folders")
    tags = await api.get("tags")

    assert folders.status == tags.status == 200
    assert folders.body["folders"] == [
        {"folder": "", "scripts": 1},
        {"folder": "etl", "scripts": 3},
    ]
    assert tags.body["tags"] == [{"tag": "nightly", "scripts": 2}, {"tag": "ops", "scripts": 1}]


async def test_the_script_of_an_editor_file_is_found_by_its_path(api):
    await api.create("a_first", folder="reports/monthly")
    report = await api.create("sales", folder="reports/monthly")

    async def found(file):
        response = await api.call("GET", "scripts", params={"path": file, "limit": 1})
        assert response.status == 200
        return [s["id"] for s in response.body["items"]]

    assert await found("scripts/reports/monthly/sales.py") == [report["id"]]
    assert await found("/scripts/reports/monthly/sales.py") == [report["id"]]
    assert await found("scripts/reports/monthly/other.py") == []
    assert await found("notes/sales.py") == []
    assert await found("scripts/reports/../reports/monthly/sales.py") == []
    assert await found("scripts/reports/monthly/sales.txt") == []

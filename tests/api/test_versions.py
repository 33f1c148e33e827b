"""Versions through the REST API: save, history, content, diff, restore, labels, publish."""

import hashlib

import pytest

from jupyter_scriptforge.rights import Actor
from jupyter_scriptforge.services import services_of

UNICODE = "# ünïcödé ✓ — 日本語\nprint('naïve')"  # and no newline at the end


async def test_saves_form_a_linear_history_newest_first(api):
    script = await api.create("job", content="v1\n")
    second = await api.save(script["id"], "v2\n", message="second")
    third = await api.save(script["id"], "v3\n")

    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]

    assert [v["seq"] for v in history] == [3, 2, 1]
    assert third["parent_id"] == second["id"]
    assert second["parent_id"] == script["head_version_id"]
    assert second["message"] == "second"
    assert (await api.get(f"scripts/{script['id']}")).body["head_version_id"] == third["id"]
    older = (await api.get(f"scripts/{script['id']}/versions", before=3, limit=1)).body["items"]
    assert [v["seq"] for v in older] == [2]


async def test_every_version_reads_back_byte_identical(api):
    script = await api.create("text", content=UNICODE)
    contents = [UNICODE, "", "\r\nwindows\r\n", "\t tabs \x00 nul", UNICODE * 50]
    versions = [script["head_version_id"]]
    for content in contents[1:]:
        versions.append((await api.save(script["id"], content))["id"])

    for version_id, content in zip(versions, contents, strict=True):
        response = await api.get(f"versions/{version_id}")
        assert response.body["content"] == content
        assert response.body["sha256"] == hashlib.sha256(content.encode()).hexdigest()
        assert response.body["size"] == len(content.encode())


async def test_unchanged_content_records_no_new_version(api):
    script = await api.create("same", content="x = 1\n")

    response = await api.post(f"scripts/{script['id']}/versions", {"content": "x = 1\n"})

    assert response.status == 200
    assert response.body["id"] == script["head_version_id"]
    assert len((await api.get(f"scripts/{script['id']}/versions")).body["items"]) == 1


async def test_returning_to_old_content_is_a_new_version_with_the_same_hash(api):
    script = await api.create("flip", content="a\n")
    await api.save(script["id"], "b\n")

    back = await api.save(script["id"], "a\n")

    first = (await api.get(f"versions/{script['head_version_id']}")).body
    assert back["seq"] == 3
    assert back["sha256"] == first["sha256"]


async def test_a_stale_base_is_a_409_with_both_versions_and_stores_nothing(api):
    script = await api.create("race", content="start\n")
    base = script["head_version_id"]
    theirs = await api.save(script["id"], "their edit\n", base_version_id=base)

    response = await api.post(
        f"scripts/{script['id']}/versions", {"content": "my edit\n", "base_version_id": base}
    )

    assert response.status == 409
    assert response.body["base"]["id"] == base
    assert response.body["head"]["id"] == theirs["id"]
    assert len((await api.get(f"scripts/{script['id']}/versions")).body["items"]) == 2


@pytest.mark.parametrize(
    "body",
    [{}, {"content": 5}, {"content": "x", "message": 3}, {"content": "x", "base_version_id": "1"}],
)
async def test_bad_saves_are_400(api, body):
    script = await api.create("strict")

    response = await api.post(f"scripts/{script['id']}/versions", body)

    assert response.status == 400
    assert len((await api.get(f"scripts/{script['id']}/versions")).body["items"]) == 1


async def test_too_large_save_is_a_413(api):
    script = await api.create("big")

    response = await api.post(
        f"scripts/{script['id']}/versions", {"content": "é" * ((1 << 19) + 1)}
    )

    assert response.status == 413
    assert response.body["limit"] == 1 << 20


async def test_diff_between_any_two_versions(api):
    script = await api.create("d", content="one\ntwo\nthree\n")
    changed = await api.save(script["id"], "one\n2\nthree\nfour\n")

    response = await api.get(
        f"scripts/{script['id']}/diff", **{"from": script["head_version_id"], "to": changed["id"]}
    )

    assert response.status == 200
    assert response.body["diff"].splitlines() == [
        "--- v1",
        "+++ v2",
        "@@ -1,3 +1,4 @@",
        " one",
        "-two",
        "+2",
        " three",
        "+four",
    ]
    backwards = await api.get(
        f"scripts/{script['id']}/diff", **{"from": changed["id"], "to": script["head_version_id"]}
    )
    assert "-four" in backwards.body["diff"]


async def test_diff_needs_two_versions_of_the_same_script(api):
    one = await api.create("one", content="1\n")
    other = await api.create("other", content="2\n")

    foreign = await api.get(
        f"scripts/{one['id']}/diff",
        **{"from": one["head_version_id"], "to": other["head_version_id"]},
    )
    missing = await api.get(f"scripts/{one['id']}/diff", to=one["head_version_id"])

    assert foreign.status == 404
    assert missing.status == 400


async def test_restore_appends_a_version_with_the_old_content(api, scripts_root, background):
    script = await api.create("r", content="good\n")
    await api.save(script["id"], "broken\n")

    response = await api.post(
        f"scripts/{script['id']}/restore", {"version_id": script["head_version_id"]}
    )

    await background.idle()
    assert response.status == 201
    assert response.body["seq"] == 3
    assert response.body["restored_from_id"] == script["head_version_id"]
    assert response.body["message"] == "Restore v1"
    assert await api.content(response.body["id"]) == "good\n"
    assert (scripts_root / "r.py").read_text() == "good\n"
    history = (await api.get(f"scripts/{script['id']}/versions")).body["items"]
    assert [v["seq"] for v in history] == [3, 2, 1]


async def test_restore_of_another_scripts_version_is_a_404(api):
    one = await api.create("one")
    other = await api.create("other")

    response = await api.post(
        f"scripts/{one['id']}/restore", {"version_id": other["head_version_id"]}
    )

    assert response.status == 404


async def test_labels_name_one_version_per_script(api):
    script = await api.create("l", content="1\n")
    v2 = await api.save(script["id"], "2\n")

    labelled = await api.post(f"versions/{v2['id']}/labels", {"label": "release 1.0"})
    again = await api.post(f"versions/{script['head_version_id']}/labels", {"label": "release 1.0"})
    bad = await api.post(f"versions/{v2['id']}/labels", {"label": "  "})
    other = await api.create("other")
    elsewhere = await api.post(
        f"versions/{other['head_version_id']}/labels", {"label": "release 1.0"}
    )

    assert labelled.status == 200
    assert labelled.body["labels"] == ["release 1.0"]
    assert again.status == 409
    assert bad.status == 400
    assert elsewhere.status == 200
    removed = await api.delete(f"versions/{v2['id']}/labels/release 1.0")
    assert removed.status == 200
    assert removed.body["labels"] == []
    assert (await api.delete(f"versions/{v2['id']}/labels/release 1.0")).status == 404


async def test_publish_is_compare_and_swap(api):
    script = await api.create("p", content="1\n", visibility="team")
    v1 = script["head_version_id"]
    v2 = (await api.save(script["id"], "2\n"))["id"]
    v3 = (await api.save(script["id"], "3\n"))["id"]

    first = await api.post(f"scripts/{script['id']}/publish", {"version_id": v2})
    assert first.status == 200
    assert first.body["previous_version_id"] is None
    assert first.body["script"]["published_version_id"] == v2

    # Someone still believes nothing is published, or an older version is: their
    # publish must not win silently.
    for seen in (None, v1):
        stale = await api.post(
            f"scripts/{script['id']}/publish", {"version_id": v3, "base_version_id": seen}
        )
        assert stale.status == 409
        assert stale.body["published"]["id"] == v2
        assert stale.body["requested"]["id"] == v3
        assert (await api.get(f"scripts/{script['id']}")).body["published_version_id"] == v2

    fresh = await api.post(
        f"scripts/{script['id']}/publish", {"version_id": v3, "base_version_id": v2}
    )
    assert fresh.status == 200
    assert fresh.body["previous_version_id"] == v2
    assert fresh.body["published"]["id"] == v3


async def test_publishing_another_scripts_version_is_a_404(api):
    one = await api.create("one")
    other = await api.create("other")

    response = await api.post(
        f"scripts/{one['id']}/publish", {"version_id": other["head_version_id"]}
    )

    assert response.status == 404
    assert (await api.get(f"scripts/{one['id']}")).body["published_version_id"] is None


async def test_unknown_versions_are_404(api):
    assert (await api.get("versions/424242")).status == 404
    assert (await api.get("scripts/424242/versions")).status == 404
    assert (await api.post("scripts/424242/versions", {"content": "x"})).status == 404


async def test_a_conflict_shows_no_version_of_another_script(api):
    mine = await api.create("mine", content="1\n")
    await api.save(mine["id"], "2\n")
    other = await api.create("other", content="secret\n")

    response = await api.post(
        f"scripts/{mine['id']}/versions",
        {"content": "3\n", "base_version_id": other["head_version_id"]},
    )

    assert response.status == 409
    assert response.body["base"] is None


async def test_someone_elses_private_script_has_no_versions_for_this_user(api, jp_serverapp):
    services = services_of(jp_serverapp.web_app.settings)
    secret = services.catalog.create_sync("someone-else", name="secret", content="v1\n")
    v2 = services.catalog.save_version_sync(
        secret.id, "v2\n", Actor.with_all_rights("someone-else")
    ).version
    services.versions.label_sync(v2.id, "theirs", Actor.with_all_rights("someone-else"))
    script, v1 = secret.id, secret.head_version_id

    responses = [
        await api.get(f"scripts/{script}/versions"),
        await api.get(f"versions/{v1}"),
        await api.get(f"scripts/{script}/diff", **{"from": v1, "to": v2.id}),
        await api.post(f"scripts/{script}/versions", {"content": "mine\n"}),
        await api.post(f"scripts/{script}/restore", {"version_id": v1}),
        await api.post(f"scripts/{script}/publish", {"version_id": v2.id}),
        await api.post(f"versions/{v1}/labels", {"label": "stolen"}),
        await api.delete(f"versions/{v2.id}/labels/theirs"),
    ]

    assert [response.status for response in responses] == [404] * len(responses)
    history = services.versions.history_sync(script)
    assert [v.id for v in history] == [v2.id, v1]
    assert [v.labels for v in history] == [("theirs",), ()]
    assert services.catalog.get_sync(script, None).published_version_id is None

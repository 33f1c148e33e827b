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
    main = await api.create("main", content=DATED)
    bad_date = await api.post(
        "runs", {"script_id": main["id"], "parameters": {"name": "x", "when": "2026-02-30"}}
    )

    assert wrong.status == 400
    assert "'region'" in wrong.body["message"]
    assert (both.status, none_declared.status) == (400, 400)
    assert bad_date.status == 400
    assert bad_date.body["message"] == "Parameter 'when': '2026-02-30' is not a 'date'"
    assert (await api.get("runs", script_id=script["id"])).body["runs"] == before
    assert (await api.get("runs", script_id=main["id"])).body["runs"] == []


DATED = """from datetime import date

def main(name: str, count: int = 3, when: date | None = None):
    print(name * count, repr(when))

if __name__ == "__main__":
    main("as a plain script")
"""


async def test_a_run_of_a_main_script_calls_main_with_the_values(api):
    script = await api.create("dated", content=DATED)

    called = await api.post(
        "runs", {"script_id": script["id"], "parameters": {"name": "ab", "when": "2026-12-03"}}
    )
    defaults = await api.post("runs", {"script_id": script["id"], "parameters": {"name": "z"}})
    plain = await api.post("runs", {"script_id": script["id"]})

    outputs = []
    for run in (called, defaults, plain):
        done = await finished(api, run.body["id"])
        assert done["status"] == "succeeded", await output_text(api, done["id"])
        outputs.append(await output_text(api, done["id"]))
    assert outputs == [
        "ababab datetime.date(2026, 12, 3)\n",
        "zzz None\n",
        "as a plain scriptas a plain scriptas a plain script None\n",
    ]
    history = (await api.get("runs", script_id=script["id"])).body["runs"]
    assert [run["parameters"] for run in reversed(history)] == [
        {"name": "ab", "when": "2026-12-03"},
        {"name": "z"},
        None,
    ]


async def test_group_items_carry_parameter_values_checked_when_saved(api):
    echo = await api.create("echo", content=ECHO)
    dated = await api.create("dated", content=DATED)
    items = [
        {"script_id": echo["id"], "parameters": {"region": "eu", "days": 2}},
        {"script_id": dated["id"], "parameters": {"name": "q", "count": 1}},
        {"script_id": echo["id"], "args": ["us"]},
    ]
    group = await api.post("groups", {"name": "with values", "items": items})
    assert group.status == 201, group.body
    wrong = await api.patch(
        f"groups/{group.body['id']}",
        {"items": [{"script_id": echo["id"], "parameters": {"region": "eu", "days": "two"}}]},
    )
    undeclared = await api.post(
        "groups",
        {
            "name": "x",
            "items": [
                {"script_id": (await api.create("p", content="1\n"))["id"], "parameters": {}}
            ],
        },
    )

    run = await api.post("runs", {"group_id": group.body["id"]})
    done = await finished(api, run.body["id"])

    assert [item["parameters"] for item in group.body["items"]] == [
        items[0]["parameters"],
        items[1]["parameters"],
        None,
    ]
    assert wrong.status == 400
    assert wrong.body["message"].startswith("Item 1: Parameter 'days':")
    assert undeclared.status == 400
    assert (await api.get(f"groups/{group.body['id']}")).body["items"] == group.body["items"]
    assert done["status"] == "succeeded"
    children = done["children"]
    assert [child["parameters"] for child in children] == [
        items[0]["parameters"],
        items[1]["parameters"],
        None,
    ]
    outputs = [await output_text(api, child["id"], "stdout") for child in children]
    assert json.loads(outputs[0])["days"] == 2
    assert outputs[1] == "q None\n"
    assert json.loads(outputs[2])["region"] == "us"


async def test_the_working_copy_answers_before_its_save_is_recorded(api, scripts_root):
    script = await api.create("report", content=REPORT)
    await api.post(f"scripts/{script['id']}/open")
    (scripts_root / "report.py").write_text(MAIN)  # saved by the editor, not yet a version

    copy = await api.get(f"scripts/{script['id']}/parameters", source="working_copy")
    head = await api.get(f"scripts/{script['id']}/parameters")
    unknown = await api.get(f"scripts/{script['id']}/parameters", source="published")
    both = await api.get(f"scripts/{script['id']}/parameters", source="working_copy", version=1)

    assert (copy.body["style"], copy.body["version_id"]) == ("main", script["head_version_id"])
    assert head.body["style"] == "argparse"
    assert (unknown.status, both.status) == (400, 400)

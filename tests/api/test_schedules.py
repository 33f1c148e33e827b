"""Schedules through the REST API: what a bad expression gets, the fire times previewed, the
runs a schedule starts (marked with it), pausing and resuming, missed fire times, and a
schedule that stops itself when its script is gone.

The server's own ticker is slowed down here; the tests tick it themselves at chosen times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from jupyter_scriptforge.errors import Unavailable
from jupyter_scriptforge.services import services_of
from tests.api.test_runs import finished, output_text

NIGHTLY = {"cron": "30 2 * * *", "timezone": "Europe/Berlin"}


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    config = {**jp_server_config, "ScriptForgeApp": dict(jp_server_config["ScriptForgeApp"])}
    config["ScriptForgeApp"]["schedule_tick_seconds"] = 3600.0  # the tests tick
    return config


@pytest.fixture
def ticker(jp_serverapp: Any) -> Any:
    return services_of(jp_serverapp.web_app.settings).schedule_ticker


async def published_script(api: Any, content: str = "print('scheduled')\n") -> dict[str, Any]:
    script = await api.create("nightly", content=content)
    answer = await api.post(
        f"scripts/{script['id']}/publish", {"version_id": script["head_version_id"]}
    )
    assert answer.status == 200, answer.body
    return script


async def test_a_bad_expression_or_zone_is_a_400_naming_the_field_and_creates_nothing(api):
    script = await published_script(api)
    bad = [
        ({"cron": "61 * * * *"}, "cron"),
        ({"cron": "* * *"}, "cron"),
        ({"cron": ""}, "cron"),
        ({"cron": "0 3 * * *", "timezone": "Mars/Olympus"}, "timezone"),
        ({"cron": "* * * * * */10"}, "cron"),  # every 10 s: more often than allowed
        ({"cron": "0 3 * * *", "missed": "burst"}, "missed"),
    ]
    answers = [await api.post("schedules", {"script_id": script["id"], **body}) for body, _ in bad]
    preview = await api.get("schedules/preview", cron="0 3 * * 7", timezone="Mars/Olympus")

    for answer, (body, field) in zip(answers, bad, strict=True):
        assert answer.status == 400, (body, answer.body)
        assert answer.body["field"] == field, (body, answer.body)
    assert "61 * * * *" in answers[0].body["message"]
    assert "at most every 60 s" in answers[4].body["message"]
    assert (preview.status, preview.body["field"]) == (400, "timezone")
    assert (await api.get("schedules")).body["schedules"] == []


async def test_the_next_five_fire_times_are_previewed_in_the_schedule_s_zone(api):
    preview = await api.get("schedules/preview", **NIGHTLY)
    times = [datetime.fromisoformat(text) for text in preview.body["next"]]

    assert preview.status == 200
    assert len(times) == 5
    assert all(t.tzinfo is not None and t > datetime.now(UTC) for t in times)
    assert all((t.hour, t.minute) in ((2, 30), (3, 0)) for t in times)  # 03:00 on a DST day
    assert all(later > earlier for earlier, later in pairwise(times))


async def test_a_schedule_needs_something_it_may_run(api):
    unpublished = await api.create("draft")
    missing = await api.post("schedules", {"script_id": 999_999, **NIGHTLY})
    no_published = await api.post("schedules", {"script_id": unpublished["id"], **NIGHTLY})
    pinned = await api.post(
        "schedules",
        {"script_id": unpublished["id"], "version_id": unpublished["head_version_id"], **NIGHTLY},
    )

    assert missing.status == 404
    assert (no_published.status, no_published.body["field"]) == (400, "version_id")
    assert "no published version" in no_published.body["message"]
    assert pinned.status == 201, pinned.body
    assert pinned.body["run"] == {
        "script_id": unpublished["id"],
        "version_id": unpublished["head_version_id"],
    }
    assert len(pinned.body["next"]) == 5


async def test_a_due_schedule_starts_one_run_marked_with_it(api, ticker):
    script = await published_script(api)
    created = await api.post(
        "schedules", {"script_id": script["id"], "name": "Nightly report", **NIGHTLY}
    )
    schedule = created.body
    due = datetime.fromisoformat(schedule["next"][0])

    before = await ticker.tick(now=due - timedelta(seconds=1))
    started = await ticker.tick(now=due + timedelta(seconds=1))
    again = await ticker.tick(now=due + timedelta(seconds=2))
    run = await finished(api, started[0])
    shown = (await api.get(f"schedules/{schedule['id']}")).body

    assert created.status == 201
    assert (before, again) == ([], [])
    assert len(started) == 1
    assert run["status"] == "succeeded"
    assert run["schedule_id"] == schedule["id"]
    assert await output_text(api, run["id"], "stdout") == "scheduled\n"
    assert shown["fires"] == [
        {"fire_at": due.isoformat(), "run_id": run["id"], "status": "succeeded", "error": None}
    ]
    assert datetime.fromisoformat(shown["next"][0]) > due


async def test_a_paused_schedule_starts_nothing_until_it_is_resumed(api, ticker):
    script = await published_script(api)
    schedule = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body
    due = datetime.fromisoformat(schedule["next"][0])

    paused = await api.patch(f"schedules/{schedule['id']}", {"active": False})
    while_paused = await ticker.tick(now=due + timedelta(days=3))
    resumed = await api.patch(f"schedules/{schedule['id']}", {"active": True})

    assert (paused.status, paused.body["active"], paused.body["next"]) == (200, False, [])
    assert while_paused == []
    assert resumed.body["active"] is True
    assert len(resumed.body["next"]) == 5


async def test_missed_fire_times_are_skipped_or_run_once_never_in_a_burst(api, ticker):
    script = await published_script(api)
    skipping = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body
    catching_up = (
        await api.post("schedules", {"script_id": script["id"], "missed": "once", **NIGHTLY})
    ).body
    # No server ran for three days: three fire times of each went by.
    later = datetime.fromisoformat(skipping["next"][0]) + timedelta(days=2, hours=1)

    started = await ticker.tick(now=later)
    second_look = await ticker.tick(now=later + timedelta(seconds=1))
    runs = [await finished(api, run_id) for run_id in started]
    fires = (await api.get(f"schedules/{catching_up['id']}")).body["fires"]

    assert [run["schedule_id"] for run in runs] == [catching_up["id"]]
    assert second_look == []
    assert len(fires) == 1  # the latest missed time, once
    assert (await api.get(f"schedules/{skipping['id']}")).body["fires"] == []


async def test_the_night_the_clocks_go_back_a_nightly_schedule_runs_once_an_hourly_one_twice(
    api, ticker
):
    script = await published_script(api)
    zone = {"timezone": "America/New_York"}
    nightly = (
        await api.post("schedules", {"script_id": script["id"], "cron": "30 1 * * *", **zone})
    ).body
    hourly = (
        await api.post("schedules", {"script_id": script["id"], "cron": "0 * * * *", **zone})
    ).body
    # 2027-11-07 in New York: 01:00 to 02:00 EDT (05:00Z to 06:00Z), then 01:00 to 02:00
    # again, EST (06:00Z to 07:00Z).
    night = datetime(2027, 11, 7, tzinfo=UTC)
    started = {}
    for at in ("05:00", "05:30", "06:00", "06:30", "07:00"):
        hour, minute = map(int, at.split(":"))
        now = night + timedelta(hours=hour, minutes=minute, seconds=1)
        run_ids = await ticker.tick(now=now)
        runs = [await finished(api, run_id) for run_id in run_ids]
        started[at] = [run["schedule_id"] for run in runs]

    assert started == {
        "05:00": [hourly["id"]],
        "05:30": [nightly["id"]],  # 01:30 EDT
        "06:00": [hourly["id"]],  # 01:00 again, EST: an hour that passes too
        "06:30": [],  # 01:30 again: the nightly report ran at 01:30 already
        "07:00": [hourly["id"]],
    }


async def test_a_schedule_whose_script_is_gone_stops_and_says_why(api, ticker):
    script = await published_script(api)
    schedule = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body
    assert (await api.delete(f"scripts/{script['id']}")).status == 200
    due = datetime.fromisoformat(schedule["next"][0])

    started = await ticker.tick(now=due + timedelta(seconds=1))
    shown = (await api.get(f"schedules/{schedule['id']}")).body

    assert started == []
    assert shown["active"] is False
    assert "no script" in shown["stopped_because"].lower()
    assert shown["fires"][0]["error"] == shown["stopped_because"]
    assert shown["next"] == []


async def test_editing_a_schedule_keeps_what_it_was_not_told_to_change(api):
    script = await published_script(api)
    schedule = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body

    renamed = await api.patch(
        f"schedules/{schedule['id']}", {"name": "Weekly", "cron": "0 6 * * 1"}
    )
    refused = await api.patch(f"schedules/{schedule['id']}", {"cron": "every day"})
    after = (await api.get(f"schedules/{schedule['id']}")).body
    deleted = await api.delete(f"schedules/{schedule['id']}")
    gone = await api.get(f"schedules/{schedule['id']}")

    assert renamed.status == 200
    assert (after["name"], after["cron"], after["timezone"]) == (
        "Weekly",
        "0 6 * * 1",
        "Europe/Berlin",
    )
    assert after["run"] == {"script_id": script["id"]}
    assert all(datetime.fromisoformat(t).weekday() == 0 for t in after["next"])
    assert (refused.status, refused.body["field"]) == (400, "cron")
    assert deleted.status == 204
    assert gone.status == 404


async def test_an_owner_s_rights_nobody_can_tell_fail_that_fire_time_alone(
    api, ticker, monkeypatch
):
    """The hub does not answer at fire time: that time fails and says why; the schedule
    goes on, and the other schedules due with it start."""
    script = await published_script(api)
    first = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body
    second = (await api.post("schedules", {"script_id": script["id"], **NIGHTLY})).body
    due = datetime.fromisoformat(first["next"][0])
    asked = []

    async def unanswered(owner: str) -> None:
        asked.append(owner)
        if len(asked) == 1:
            raise Unavailable("JupyterHub does not answer: connection refused")
        return await owner_of(owner)

    owner_of = ticker._actor_of
    monkeypatch.setattr(ticker, "_actor_of", unanswered)
    started = await ticker.tick(now=due + timedelta(seconds=1))
    shown = [(await api.get(f"schedules/{s['id']}")).body for s in (first, second)]

    assert len(asked) == 2
    assert len(started) == 1
    failed = next(s for s in shown if s["fires"][0]["run_id"] is None)
    assert failed["fires"][0]["error"] == "JupyterHub does not answer: connection refused"
    assert failed["active"] is True
    assert datetime.fromisoformat(failed["next"][0]) > due

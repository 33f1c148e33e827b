"""Who a hold keeps from running what: the store's rules, on both databases."""

from __future__ import annotations

import pytest

from jupyter_scriptforge.db.hold_store import HoldStore
from jupyter_scriptforge.guardrails.holds import GuardrailBlocked, GuardrailHolds, content_sha256

BLOCKED = {"verdict": "blocked", "findings": [{"rule": "SF102", "line": 3, "blocks": True}]}
CODE = 'import os\n\nos.system("id")\n'


@pytest.fixture
def holds(services) -> GuardrailHolds:
    return GuardrailHolds(HoldStore(services.store))


async def test_a_hold_binds_the_assistant_and_the_user_it_answered_not_others(holds):
    assert await holds.hold(CODE, BLOCKED, "alice", "generate")

    with pytest.raises(GuardrailBlocked) as refused:
        holds.check_sync(CODE, "alice", "v1 of 'x'")  # pasted by the user it was given to
    assert refused.value.details["findings"] == [{"rule": "SF102", "line": 3}]
    with pytest.raises(GuardrailBlocked):
        holds.check_sync(CODE, "assistant for bob", "v1 of 'y'")  # recorded by the assistant
    # Bob wrote the same code himself: asking the assistant for it cannot freeze his script.
    holds.check_sync(CODE, "bob", "v1 of 'z'")


async def test_line_ends_and_trailing_blanks_do_not_lift_a_hold(holds):
    await holds.hold(CODE, BLOCKED, "alice", "generate")

    for copy in (CODE.replace("\n", "\r\n"), CODE + "\n\n", CODE.replace('id")', 'id")   ')):
        assert content_sha256(copy) == content_sha256(CODE)
        with pytest.raises(GuardrailBlocked):
            holds.check_sync(copy, "alice", "a copy")
    holds.check_sync(CODE.replace('"id"', '"true"'), "alice", "changed by hand")


async def test_a_release_stands_for_the_content_for_everyone(holds):
    await holds.hold(CODE, BLOCKED, "alice", "generate")
    await holds.hold(CODE, BLOCKED, "carol", "chat")

    await holds.release(CODE, "admin", "reviewed", BLOCKED)

    for author in ("alice", "carol", "assistant for dan"):
        holds.check_sync(CODE, author, "released code")
    assert not await holds.hold(CODE, BLOCKED, "erin", "generate")  # asked again later
    holds.check_sync(CODE, "erin", "released code")


async def test_an_admin_may_release_before_anything_is_held(holds):
    await holds.release(CODE, "admin", "our deploy script", BLOCKED)

    assert not await holds.hold(CODE, BLOCKED, "alice", "accept")
    holds.check_sync(CODE, "assistant for alice", "released code")


async def test_only_blocked_code_is_held(holds):
    assert not await holds.hold(CODE, {"verdict": "warn", "findings": []}, "alice", "generate")
    holds.check_sync(CODE, "alice", "warned code")

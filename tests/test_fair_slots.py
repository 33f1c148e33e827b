"""Fair slots: caps hold, and waiting users take turns in FIFO order."""

from __future__ import annotations

import asyncio

import pytest

from jupyter_scriptforge.fair_slots import FairSlots


async def occupy(
    slots: FairSlots, user: str, order: list[str], label: str, release: asyncio.Event
) -> None:
    async with slots.slot(user):
        order.append(label)
        await release.wait()


async def test_the_server_cap_and_the_user_cap_both_hold():
    slots = FairSlots(total=3, per_user=2)
    release = asyncio.Event()
    order: list[str] = []
    tasks = [
        asyncio.ensure_future(occupy(slots, user, order, f"{user}{n}", release))
        for user in ("ann", "bob")
        for n in range(3)
    ]
    await asyncio.sleep(0.05)

    assert slots.running == 3
    assert sorted(order) == ["ann0", "ann1", "bob0"]
    assert slots.queued() == 3
    release.set()
    await asyncio.gather(*tasks)
    assert slots.running == 0
    assert slots.queued() == 0


async def test_waiting_users_take_turns_each_in_fifo_order():
    slots = FairSlots(total=1, per_user=1)
    gates = {label: asyncio.Event() for label in ["first", "a1", "a2", "a3", "b1", "c1", "b2"]}
    order: list[str] = []
    first = asyncio.ensure_future(occupy(slots, "ann", order, "first", gates["first"]))
    await asyncio.sleep(0)
    tasks = []
    for label, user in [
        ("a1", "ann"),
        ("a2", "ann"),
        ("a3", "ann"),
        ("b1", "bob"),
        ("c1", "cat"),
        ("b2", "bob"),
    ]:
        tasks.append(asyncio.ensure_future(occupy(slots, user, order, label, gates[label])))
        await asyncio.sleep(0)

    for label in ["first", "a1", "b1", "c1", "a2", "b2", "a3"]:
        gates[label].set()
        await asyncio.sleep(0.01)

    await asyncio.gather(first, *tasks)
    # ann queued three runs first, yet bob and cat each get a turn between them.
    assert order == ["first", "a1", "b1", "c1", "a2", "b2", "a3"]


async def test_a_cancelled_waiter_gives_up_its_place():
    slots = FairSlots(total=1, per_user=1)
    release = asyncio.Event()
    order: list[str] = []
    holder = asyncio.ensure_future(occupy(slots, "ann", order, "holder", release))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(occupy(slots, "bob", order, "gone", release))
    kept = asyncio.ensure_future(occupy(slots, "cat", order, "kept", release))
    await asyncio.sleep(0)

    gone.cancel()
    release.set()
    await asyncio.gather(holder, kept)

    assert order == ["holder", "kept"]
    assert slots.running == 0


def test_caps_below_one_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        FairSlots(total=0, per_user=1)


async def test_a_waiter_cancelled_as_a_slot_frees_does_not_take_it():
    slots = FairSlots(total=1, per_user=1)
    release = asyncio.Event()
    order: list[str] = []
    holder = asyncio.ensure_future(occupy(slots, "ann", order, "holder", release))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(occupy(slots, "bob", order, "gone", release))
    await asyncio.sleep(0)

    # In one turn of the loop: the holder is told to let go, then the waiter is cancelled
    # (its future at once, its task only later).
    release.set()
    gone.cancel()
    await asyncio.gather(holder, gone, return_exceptions=True)
    after = asyncio.ensure_future(occupy(slots, "cat", order, "after", release))
    await asyncio.wait_for(after, 1)

    assert order == ["holder", "after"]
    assert slots.running == 0

"""The rules per script, in the services (where the REST API, a command line or a schedule
all pass): who may change, delete, share or give away a script, on a real store."""

from __future__ import annotations

import pytest

from jupyter_scriptforge.catalog.script_requests import script_changes
from jupyter_scriptforge.errors import Forbidden, NotFound
from jupyter_scriptforge.rights import Actor, Right
from jupyter_scriptforge.services import Services

AUTHOR = frozenset({Right.READ, Right.WRITE, Right.RUN, Right.ASSISTANT})
alice = Actor("alice", AUTHOR)
bob = Actor("bob", AUTHOR)
viewer = Actor("vera", frozenset({Right.READ}))
admin = Actor("ada", frozenset(Right))


def change(services: Services, script_id: int, actor: Actor, **body: object) -> object:
    return services.catalog.update_sync(script_id, actor, script_changes(body))


def test_an_author_changes_a_team_script_but_only_its_owner_shares_or_deletes_it(services):
    script = services.catalog.create_sync("alice", "nightly", content="v1\n", visibility="team")

    saved = services.catalog.save_version_sync(script.id, "v2\n", bob)
    renamed = change(services, script.id, bob, name="nightly_etl")
    with pytest.raises(Forbidden, match="Only alice, the owner of 'nightly_etl'"):
        change(services, script.id, bob, visibility="private")
    with pytest.raises(Forbidden):
        change(services, script.id, bob, owner="bob")
    with pytest.raises(Forbidden):
        services.catalog.delete_sync(script.id, bob)

    assert saved.version.author == "bob"
    assert renamed.name == "nightly_etl"  # type: ignore[attr-defined]
    kept = services.catalog.get_sync(script.id, "alice")
    assert (kept.visibility, kept.owner, kept.deleted_at) == ("team", "alice", None)


def test_a_viewer_reads_a_team_script_and_changes_nothing(services):
    script = services.catalog.create_sync("alice", "report", content="v1\n", visibility="team")

    for attempt in (
        lambda: services.catalog.save_version_sync(script.id, "v2\n", viewer),
        lambda: change(services, script.id, viewer, description="mine now"),
        lambda: services.versions.label_sync(script.head_version_id, "prod", viewer),
        lambda: services.versions.publish_sync(script.id, script.head_version_id, viewer),
        lambda: services.catalog.restore_version_sync(script.id, script.head_version_id, viewer),
        lambda: services.catalog.delete_sync(script.id, viewer),
    ):
        with pytest.raises(Forbidden, match="custom:scriptforge:write"):
            attempt()

    after = services.catalog.get_sync(script.id, "vera")
    assert after == script
    assert [v.seq for v in services.versions.history_sync(script.id, viewer="vera")] == [1]


def test_the_owner_gives_a_script_away_and_it_is_no_longer_theirs(services):
    script = services.catalog.create_sync("alice", "handover", content="x\n")

    given = change(services, script.id, alice, owner="bob")

    assert given.owner == "bob"  # type: ignore[attr-defined]
    with pytest.raises(NotFound):  # private, and now bob's
        services.catalog.get_sync(script.id, "alice")
    assert services.catalog.get_sync(script.id, "bob").owner == "bob"


def test_an_admin_governs_team_scripts_but_never_sees_private_ones(services):
    shared = services.catalog.create_sync("alice", "shared", content="x\n", visibility="team")
    private = services.catalog.create_sync("alice", "diary", content="secret\n")

    change(services, shared.id, admin, owner="bob")
    services.catalog.delete_sync(shared.id, admin)

    for attempt in (
        lambda: services.catalog.get_sync(private.id, "ada"),
        lambda: change(services, private.id, admin, visibility="team"),
        lambda: services.catalog.delete_sync(private.id, admin),
        lambda: services.catalog.save_version_sync(private.id, "mine\n", admin),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert services.catalog.get_sync(shared.id, "bob").deleted_at is not None
    assert services.catalog.get_sync(private.id, "alice").visibility == "private"


def test_another_users_private_script_is_not_there_for_an_author(services):
    private = services.catalog.create_sync("alice", "diary", content="secret\n")

    with pytest.raises(NotFound):
        services.catalog.save_version_sync(private.id, "bob was here\n", bob)
    with pytest.raises(NotFound):
        change(services, private.id, bob, visibility="team")

    assert services.versions.history_sync(private.id, viewer="alice")[0].seq == 1

"""Concurrent writers lose nothing."""

import itertools
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from jupyter_scriptforge.db.models import Blob
from jupyter_scriptforge.rights import Actor
from jupyter_scriptforge.versions.service import VersionService

WRITERS = 8
SAVES_EACH = 20


def test_eight_concurrent_writers_on_one_script_lose_nothing(services):
    # Shared with the team: every writer is another user.
    script = services.catalog.create_sync("alice", "hot", content="start\n", visibility="team")

    def writer(number: int) -> list[tuple[int, str]]:
        done = []
        for i in range(SAVES_EACH):
            content = f"writer {number} save {i}\n"
            saved = services.catalog.save_version_sync(
                script.id, content, Actor.with_all_rights(f"user{number}")
            )
            done.append((saved.version.id, content))
        return done

    with ThreadPoolExecutor(WRITERS) as pool:
        acknowledged = [item for result in pool.map(writer, range(WRITERS)) for item in result]

    history = services.versions.history_sync(script.id, limit=1000)
    assert len(acknowledged) == WRITERS * SAVES_EACH
    assert len(history) == WRITERS * SAVES_EACH + 1
    assert [v.seq for v in reversed(history)] == list(range(1, len(history) + 1))
    for older, newer in itertools.pairwise(reversed(history)):
        assert newer.parent_id == older.id, "the history is one line, no lost update"
    fresh = VersionService(services.store)
    for version_id, content in acknowledged:
        assert fresh.get_sync(version_id)[1] == content


def test_concurrent_writers_on_many_scripts_with_shared_content(services):
    """Identical content saved at once to different scripts is stored once and read by all."""
    scripts = [services.catalog.create_sync("alice", f"s{i}").id for i in range(WRITERS)]

    def writer(script_id: int) -> None:
        for i in range(SAVES_EACH):
            services.catalog.save_version_sync(
                script_id, f"shared content {i}\n", Actor.with_all_rights("alice")
            )

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, scripts))

    for script_id in scripts:
        history = services.versions.history_sync(script_id, limit=1000)
        assert len(history) == SAVES_EACH + 1
        assert services.versions.get_sync(history[0].id)[1] == f"shared content {SAVES_EACH - 1}\n"
    with services.store.reading() as tx:
        assert tx.integrity_problems() == []


def test_identical_content_is_stored_once(services):
    first = services.catalog.create_sync("alice", "first", content="same = True\n")
    second = services.catalog.create_sync("bob", "second", content="other\n")
    services.catalog.save_version_sync(second.id, "same = True\n", Actor.with_all_rights("bob"))
    services.catalog.save_version_sync(first.id, "changed\n", Actor.with_all_rights("alice"))
    services.catalog.save_version_sync(first.id, "same = True\n", Actor.with_all_rights("alice"))

    with services.store.reading() as tx:
        blobs = tx.session.scalar(select(func.count()).select_from(Blob))
    assert blobs == 3, "three distinct contents, five versions"


def test_a_rolled_back_save_leaves_no_trace(services):
    """A failed transaction must not leave its content behind for the next one to reuse."""
    first = services.catalog.create_sync("alice", "first", content="kept\n")
    try:
        with services.store.writing() as tx:
            services.versions.save_in(tx, first.id, b"rolled back\n", "alice")
            raise RuntimeError("the request failed after the save")
    except RuntimeError:
        pass

    other = services.catalog.create_sync("bob", "other", content="other v1\n")
    services.catalog.save_version_sync(other.id, "other v2\n", Actor.with_all_rights("bob"))

    fresh = VersionService(services.store)
    for service in (services.versions, fresh):
        history = service.history_sync(other.id)
        assert [service.get_sync(v.id)[1] for v in history] == ["other v2\n", "other v1\n"]
        assert service.get_sync(first.head_version_id)[1] == "kept\n"

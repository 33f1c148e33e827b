"""Property-based: any sequence of saves, restores and publishes keeps every version intact."""

import hashlib
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_scriptforge.errors import Conflict
from jupyter_scriptforge.rights import Actor

_names = itertools.count()

# Script-like text: lines of printable characters, unicode included, sometimes no final newline.
contents = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=12
).map("\n".join)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("save"), contents),
        st.tuples(st.just("restore"), st.integers(min_value=0)),
        st.tuples(st.just("publish"), st.integers(min_value=0), st.booleans()),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    # Each example works on a script of its own in the shared store.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(initial=contents, steps=operations)
def test_history_matches_a_simple_model(services, initial, steps):
    catalog, versions = services.catalog, services.versions
    # Shared with the team: bob restores.
    script = catalog.create_sync("alice", f"p{next(_names)}", content=initial, visibility="team")
    model = [(script.head_version_id, initial)]  # (version id, content), oldest first
    published = None

    for step in steps:
        if step[0] == "save":
            saved = catalog.save_version_sync(script.id, step[1], Actor.with_all_rights("alice"))
            if step[1] == model[-1][1]:
                assert not saved.created
            else:
                model.append((saved.version.id, step[1]))
        elif step[0] == "restore":
            old_id, old_content = model[step[1] % len(model)]
            restored = catalog.restore_version_sync(script.id, old_id, Actor.with_all_rights("bob"))
            assert restored.version.restored_from_id == old_id
            model.append((restored.version.id, old_content))
        else:
            target = model[step[1] % len(model)][0]
            stale = step[2] and published is not None
            base = -1 if stale else published
            try:
                previous, _ = versions.publish_sync(
                    script.id, target, Actor.with_all_rights("alice"), base_version_id=base
                )
            except Conflict:
                assert stale
            else:
                assert not stale
                assert previous == published
                published = target

    history = versions.history_sync(script.id, limit=1000)
    assert [v.id for v in reversed(history)] == [vid for vid, _ in model]
    assert [v.seq for v in reversed(history)] == list(range(1, len(model) + 1))
    for older, newer in itertools.pairwise(reversed(history)):
        assert newer.parent_id == older.id
    for version_id, content in model:
        info, read_back = versions.get_sync(version_id)
        assert read_back == content
        assert info.sha256 == hashlib.sha256(content.encode()).hexdigest()
    assert catalog.get_sync(script.id, "alice").published_version_id == published


def test_reading_back_through_long_delta_chains(services):
    """Past the chain limit a full copy starts a new chain; every version still reads back."""
    catalog, versions = services.catalog, services.versions
    script = catalog.create_sync("alice", "long", content="line\n" * 400)
    expected = {}
    text = "line\n" * 400
    for i in range(250):
        text = text.replace("line\n", f"line {i}\n", 1)
        expected[
            catalog.save_version_sync(script.id, text, Actor.with_all_rights("alice")).version.id
        ] = text

    fresh = type(versions)(services.store)  # an empty cache: everything from the store
    for version_id, content in expected.items():
        assert fresh.get_sync(version_id)[1] == content

"""``kill -9`` of the server during a burst of saves loses no acknowledged version."""

import hashlib
import json
import threading
import time
import urllib.error

from sqlalchemy import text

from jupyter_scriptforge.db.engine import make_engine
from jupyter_scriptforge.db.store import Store
from tests.jupyter_process import running_jupyter

WRITERS = 4


def test_kill_9_during_saves_keeps_every_acknowledged_version(tmp_path, db_url):
    acknowledged: list[tuple[int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    with running_jupyter(tmp_path, app="server", db_url=db_url) as server:
        scripts = [
            json.loads(server.request("POST", "/scriptforge/api/scripts", {"name": f"s{i}"}))["id"]
            for i in range(WRITERS)
        ]

        def burst(script_id: int) -> None:
            for n in range(100_000):
                if stop.is_set():
                    return
                content = f"# save {n} of script {script_id}\n" + "x = 1\n" * (n % 50)
                try:
                    answer = server.request(
                        "POST",
                        f"/scriptforge/api/scripts/{script_id}/versions",
                        {"content": content},
                    )
                except (urllib.error.URLError, ConnectionError, OSError):
                    return  # the server is gone: this save was never acknowledged
                with lock:
                    acknowledged.append((json.loads(answer)["id"], content))

        threads = [threading.Thread(target=burst, args=(sid,)) for sid in scripts]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.process.kill()  # SIGKILL, in the middle of the burst
        server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()

    assert len(acknowledged) >= 200
    with running_jupyter(tmp_path, app="server", db_url=db_url) as restarted:
        for version_id, content in acknowledged:
            version = json.loads(restarted.get(f"/scriptforge/api/versions/{version_id}"))
            assert version["content"] == content
            assert version["sha256"] == hashlib.sha256(content.encode()).hexdigest()

    engine = make_engine(db_url)
    try:
        with Store(engine).reading() as tx:
            assert tx.integrity_problems() == []
            if engine.dialect.name == "sqlite":
                assert tx.session.execute(text("PRAGMA foreign_key_check")).all() == []
            else:
                # amcheck verifies every B-tree index of our tables; it raises on corruption.
                tx.session.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
                checked = tx.session.execute(
                    text(
                        "SELECT bt_index_check(c.oid, true) FROM pg_index i"
                        " JOIN pg_class c ON c.oid = i.indexrelid"
                        " JOIN pg_am am ON am.oid = c.relam"
                        " WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace"
                    )
                ).all()
                assert len(checked) >= 8
    finally:
        engine.dispose()

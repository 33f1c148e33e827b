"""Snapshot saves, storage and reads against git, on the same 1,000 small edits of 20 KB."""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import time
from pathlib import Path

from sqlalchemy import func, select

from jupyter_scriptforge.db.models import Blob
from jupyter_scriptforge.rights import Actor
from jupyter_scriptforge.versions.service import VersionService
from tests.bench.report import emit, ms, percentile
from tests.bench.targets import Target, assert_targets
from tests.bench.workload import successive_edits
from tests.jupyter_process import running_jupyter
from tests.wiring import services_on

EDITS = successive_edits(1000)
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@localhost",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@localhost",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git_saves(repo: Path) -> tuple[list[float], list[str]]:
    """Latency of ``git add && git commit`` per edit, and the commit of each edit."""
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=GIT_ENV)
    latencies, commits = [], []
    for n, content in enumerate(EDITS):
        (repo / "script.py").write_text(content)
        start = time.perf_counter()
        subprocess.run(
            ["sh", "-c", f"git add script.py && git commit -q -m 'edit {n}'"],
            cwd=repo,
            check=True,
            env=GIT_ENV,
        )
        latencies.append(time.perf_counter() - start)
        commits.append(
            subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=repo, env=GIT_ENV, capture_output=True, text=True
            ).stdout.strip()
        )
    return latencies, commits


def git_pack_bytes(repo: Path) -> tuple[int, int]:
    """Size of the pack after ``gc --aggressive``, and the part of it that is blobs."""
    subprocess.run(["git", "gc", "--aggressive", "-q"], cwd=repo, check=True, env=GIT_ENV)
    packs = list((repo / ".git/objects/pack").glob("*.pack"))
    total = sum(p.stat().st_size for p in packs)
    verify = subprocess.run(
        ["git", "verify-pack", "-v", *map(str, packs)],
        capture_output=True,
        text=True,
        check=True,
        env=GIT_ENV,
    ).stdout
    blob_bytes = sum(
        int(parts[3])
        for parts in (line.split() for line in verify.splitlines())
        if len(parts) >= 5 and parts[1] == "blob"
    )
    return total, blob_bytes


def test_snapshot_saves_storage_and_reads_against_git(tmp_path):
    git_latency, commits = git_saves(tmp_path / "git")
    git_pack, git_blobs = git_pack_bytes(tmp_path / "git")

    db_file = tmp_path / "store.db"
    services = services_on(f"sqlite:///{db_file}", tmp_path / "root")
    script = services.catalog.create_sync("bench", "script", content=EDITS[0])
    db_before = db_file.stat().st_size + _wal_size(db_file)
    service_latency, version_ids = [], [script.head_version_id]
    for content in EDITS[1:]:
        start = time.perf_counter()
        saved = services.catalog.save_version_sync(
            script.id, content, Actor.with_all_rights("bench")
        )
        service_latency.append(time.perf_counter() - start)
        version_ids.append(saved.version.id)
    with services.store.reading() as tx:
        content_bytes = tx.session.scalar(select(func.sum(func.length(Blob.data))))
        full_copies = tx.session.scalar(select(func.count()).where(Blob.base_id.is_(None)))
    services.store.engine.dispose()  # checkpoint the WAL into the file
    db_bytes = db_file.stat().st_size - db_before

    # Reading back: no cache, so each read decodes its whole delta chain from the store.
    cold = VersionService(
        services_on(f"sqlite:///{db_file}", tmp_path / "root").store, cache_bytes=0
    )
    order = list(range(len(version_ids)))
    random.Random(1).shuffle(order)
    read_latency = []
    for index in order:
        start = time.perf_counter()
        _, content = cold.get_sync(version_ids[index])
        read_latency.append(time.perf_counter() - start)
        assert content == EDITS[index]
    git_read = []
    for index in order[:200]:
        start = time.perf_counter()
        subprocess.run(
            ["git", "show", f"{commits[index]}:script.py"],
            cwd=tmp_path / "git",
            capture_output=True,
            check=True,
            env=GIT_ENV,
        )
        git_read.append(time.perf_counter() - start)

    rest_latency = rest_saves(tmp_path / "rest")

    git_p50, git_p95 = percentile(git_latency, 50), percentile(git_latency, 95)
    emit(
        "snapshot_save",
        edits=len(EDITS),
        script_bytes=len(EDITS[0].encode()),
        git_p50_ms=ms(git_p50),
        git_p95_ms=ms(git_p95),
        service_p50_ms=ms(percentile(service_latency, 50)),
        service_p95_ms=ms(percentile(service_latency, 95)),
        service_p50_ratio=round(percentile(service_latency, 50) / git_p50, 3),
        service_p95_ratio=round(percentile(service_latency, 95) / git_p95, 3),
        rest_p50_ms=ms(percentile(rest_latency, 50)),
        rest_p95_ms=ms(percentile(rest_latency, 95)),
        rest_p50_ratio=round(percentile(rest_latency, 50) / git_p50, 3),
        rest_p95_ratio=round(percentile(rest_latency, 95) / git_p95, 3),
        target="service p50 <= 0.2 x git, REST p50 <= 0.5 x git",
    )
    emit(
        "snapshot_storage",
        git_pack_bytes=git_pack,
        git_pack_blob_bytes=git_blobs,
        store_content_bytes=content_bytes,
        store_full_copies=full_copies,
        store_db_growth_bytes=db_bytes,
        content_vs_git_pack_ratio=round(content_bytes / git_pack, 3),
        content_vs_git_blobs_ratio=round(content_bytes / git_blobs, 3),
        db_growth_vs_git_pack_ratio=round(db_bytes / git_pack, 3),
        target="store <= 0.5 x git pack after gc --aggressive",
    )
    emit(
        "snapshot_read",
        versions=len(version_ids),
        read_p50_ms=ms(percentile(read_latency, 50)),
        read_p95_ms=ms(percentile(read_latency, 95)),
        read_max_ms=ms(max(read_latency)),
        git_show_p50_ms=ms(percentile(git_read, 50)),
        git_show_p95_ms=ms(percentile(git_read, 95)),
        read_p95_vs_git_show_p95_ratio=round(
            percentile(read_latency, 95) / percentile(git_read, 95), 3
        ),
        target="p95 <= 5 ms with no cache",
    )
    assert_targets(
        "snapshot",
        Target(
            "save p50, service / git add && git commit p50",
            percentile(service_latency, 50) / git_p50,
            0.2,
            " x",
        ),
        Target(
            "save p50, REST / git add && git commit p50",
            percentile(rest_latency, 50) / git_p50,
            0.5,
            " x",
        ),
        Target(
            "store contents / git pack after gc --aggressive", content_bytes / git_pack, 0.5, " x"
        ),
        Target(
            "version read back with no cache, p95", percentile(read_latency, 95) * 1000, 5, " ms"
        ),
    )


def _wal_size(db_file: Path) -> int:
    wal = db_file.with_name(db_file.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def rest_saves(work_dir: Path) -> list[float]:
    """The same edits POSTed to a real ``jupyter server`` over one keep-alive connection."""
    latencies = []
    with running_jupyter(work_dir, app="server") as server:
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Authorization": f"token {server.token}", "Content-Type": "application/json"}

        def post(path: str, body: dict[str, object]) -> dict[str, object]:
            connection.request("POST", path, json.dumps(body), headers)
            response = connection.getresponse()
            data = json.loads(response.read())
            assert response.status in (200, 201), data
            return data  # type: ignore[no-any-return]

        script = post("/scriptforge/api/scripts", {"name": "rest", "content": EDITS[0]})
        for content in EDITS[1:]:
            start = time.perf_counter()
            post(f"/scriptforge/api/scripts/{script['id']}/versions", {"content": content})
            latencies.append(time.perf_counter() - start)
        connection.close()
    return latencies

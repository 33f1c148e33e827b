"""Catalog search over 10,000 scripts and a history of 10,000 versions.

Baselines from the same run: ``grep -rl`` over the same 10,000 working copies, and
``git log`` over a repository holding the same 10,000 versions.
"""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

from jupyter_scriptforge.rights import Actor
from tests.bench.bench_snapshots import GIT_ENV
from tests.bench.report import emit, ms, percentile
from tests.bench.targets import Target, assert_targets
from tests.bench.workload import _WORDS, small_script
from tests.wiring import services_on

SCRIPTS = 10_000
VERSIONS = 10_000
QUERIES = 60


def test_search_over_ten_thousand_scripts(tmp_path):
    services = services_on(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "root")
    rng = random.Random(7)
    start = time.perf_counter()
    for n in range(SCRIPTS):
        services.catalog.create_sync(
            f"user{n % 12}",
            f"job_{rng.choice(_WORDS)}_{n}",
            folder=f"team{n % 20}/{rng.choice(_WORDS)}",
            description=f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} pipeline",
            tags=[rng.choice(_WORDS), f"t{n % 50}"],
            visibility="team",
            content=small_script(rng),
        )
    created = time.perf_counter() - start
    start = time.perf_counter()
    indexed = services.catalog.refresh_index_sync()
    index_build = time.perf_counter() - start
    assert indexed == SCRIPTS

    words = [rng.choice(_WORDS) for _ in range(QUERIES)]
    kinds = {
        "content_word": lambda w: {"text": w},
        "word_prefix": lambda w: {"text": w[:4]},
        "two_words": lambda w: {"text": f"{w} {rng.choice(_WORDS)}"},
        "tag": lambda w: {"tag": w},
        "folder": lambda w: {"folder": f"team{rng.randrange(20)}/{w}"},
        "name_fragment": lambda w: {"text": f"_{rng.randrange(SCRIPTS)}"},
    }
    figures: dict[str, object] = {}
    everything = []
    for kind, params in kinds.items():
        latencies = []
        for word in words:
            query = params(word)
            began = time.perf_counter()
            page = services.catalog.list_sync("user0", limit=50, **query)
            latencies.append(time.perf_counter() - began)
            assert kind in ("folder", "name_fragment") or page.items
        everything += latencies
        figures[f"{kind}_p95_ms"] = ms(percentile(latencies, 95))

    grep = []
    for word in words[:20]:
        began = time.perf_counter()
        subprocess.run(
            ["grep", "-rlw", word, str(tmp_path / "root" / "scripts")],
            capture_output=True,
            check=True,
        )
        grep.append(time.perf_counter() - began)
    services.store.engine.dispose()
    emit(
        "catalog_search",
        scripts=SCRIPTS,
        create_s=round(created, 1),
        index_build_s=round(index_build, 2),
        p50_ms=ms(percentile(everything, 50)),
        p95_ms=ms(percentile(everything, 95)),
        **figures,
        grep_p50_ms=ms(percentile(grep, 50)),
        p95_vs_grep_p50_ratio=round(percentile(everything, 95) / percentile(grep, 50), 3),
        target="p95 <= 50 ms",
    )
    assert_targets(
        "catalog_search",
        Target("search over 10,000 scripts, p95", percentile(everything, 95) * 1000, 50, " ms"),
    )


def test_history_of_ten_thousand_versions(tmp_path):
    services = services_on(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "root")
    script = services.catalog.create_sync("bench", "long_lived", content="x = 0\n")
    for n in range(1, VERSIONS):
        services.catalog.save_version_sync(
            script.id, f"x = {n}\n", Actor.with_all_rights("bench"), f"edit {n}"
        )
    git = _git_repo_with_versions(tmp_path / "git", VERSIONS)

    rng = random.Random(3)
    first, deep = [], []
    for _ in range(QUERIES):
        began = time.perf_counter()
        page = services.versions.history_sync(script.id, limit=100)
        first.append(time.perf_counter() - began)
        assert len(page) == 100
        assert page[0].seq == VERSIONS
        before = rng.randrange(200, VERSIONS)
        began = time.perf_counter()
        page = services.versions.history_sync(script.id, limit=100, before_seq=before)
        deep.append(time.perf_counter() - began)
        assert page[0].seq == before - 1
    git_first, git_deep = [], []
    for _ in range(20):
        git_first.append(_timed_git(git, ["log", "-n", "100", "--format=%H %an %at %s"]))
        skip = str(rng.randrange(200, VERSIONS - 100))
        git_deep.append(
            _timed_git(git, ["log", "--skip", skip, "-n", "100", "--format=%H %an %at %s"])
        )
    services.store.engine.dispose()
    emit(
        "version_history",
        versions=VERSIONS,
        first_page_p95_ms=ms(percentile(first, 95)),
        deep_page_p95_ms=ms(percentile(deep, 95)),
        git_log_first_page_p50_ms=ms(percentile(git_first, 50)),
        git_log_deep_page_p50_ms=ms(percentile(git_deep, 50)),
        first_page_vs_git_ratio=round(percentile(first, 95) / percentile(git_first, 50), 3),
        deep_page_vs_git_ratio=round(percentile(deep, 95) / percentile(git_deep, 50), 3),
        target="p95 <= 50 ms",
    )
    assert_targets(
        "version_history",
        Target("first page of 10,000 versions, p95", percentile(first, 95) * 1000, 50, " ms"),
        Target("deep page of 10,000 versions, p95", percentile(deep, 95) * 1000, 50, " ms"),
    )


def _git_repo_with_versions(repo: Path, count: int) -> Path:
    """The same history as a git repository, written in one go by ``git fast-import``."""
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=GIT_ENV)
    stream = []
    for n in range(count):
        content = f"x = {n}\n".encode()
        message = f"edit {n}".encode()
        stream += [
            b"commit refs/heads/main",
            f"committer bench <bench@localhost> {1_700_000_000 + n} +0000".encode(),
            b"data %d" % len(message),
            message,
            b"M 100644 inline script.py",
            b"data %d" % len(content),
            content,
        ]
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        input=b"\n".join(stream) + b"\n",
        cwd=repo,
        check=True,
        env=GIT_ENV,
    )
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=repo, env=GIT_ENV)
    return repo


def _timed_git(repo: Path, args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True, env=GIT_ENV)
    return time.perf_counter() - began

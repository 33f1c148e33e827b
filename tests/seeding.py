"""A large catalog written straight through the services, before a server starts on it."""

from pathlib import Path

from tests.wiring import services_on


def seed_catalog(work_dir: Path, scripts: int = 10_000, in_bulk: int = 1_000) -> None:
    """``scripts`` team scripts ``job_00000``… in the store and root ``running_jupyter`` uses.

    The first ``in_bulk`` go to one folder, ``bulk``; the others spread over
    ``team00``…``team19``, each with ``area0``…``area6``. Script n is tagged ``t{n % 50}``.
    """
    services = services_on(f"sqlite:///{work_dir / 'scriptforge.db'}", work_dir / "root")
    for n in range(scripts):
        services.catalog.create_sync(
            "someone",
            f"job_{n:05d}",
            folder="bulk" if n < in_bulk else f"team{n % 20:02d}/area{n % 7}",
            tags=[f"t{n % 50}"],
            visibility="team",
            content=f"print({n})\n",
        )
    services.catalog.refresh_index_sync()
    services.store.engine.dispose()

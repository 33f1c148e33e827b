"""A deployment swaps the store and the runners by configuration (``store_class``,
``local_runner_class``), and the server builds and uses its classes."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from typing import Any

import pytest

from jupyter_scriptforge.db.store import Store
from jupyter_scriptforge.execution.runners.base import Outcome, OutputSink, RunSpec
from jupyter_scriptforge.execution.runners.local import LocalRunner
from jupyter_scriptforge.services import services_of
from tests.api.test_runs import finished, output_text


class SiteRunner(LocalRunner):
    """A site's runner: the local one, telling every script which site it runs at."""

    async def run(self, spec: RunSpec, sink: OutputSink, cancel: asyncio.Event) -> Outcome:
        return await super().run(
            dataclasses.replace(spec, env={**spec.env, "SITE": "lab-7"}), sink, cancel
        )


class CountingStore(Store):
    """A site's store: the usual one, counting the transactions that write."""

    writes = 0

    def writing(self, *args: Any, **kwargs: Any) -> Any:
        CountingStore.writes += 1
        return super().writing(*args, **kwargs)


@pytest.fixture
def jp_server_config(db_url: str) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyter_scriptforge": True}},
        "ScriptForgeApp": {
            "db_url": db_url,
            "runs_instance": f"pytest-{os.getpid()}",
            "local_runner_class": f"{__name__}.SiteRunner",
            "store_class": f"{__name__}.CountingStore",
        },
    }


async def test_a_configured_runner_class_runs_the_scripts(api):
    script = await api.create("where", content="import os\nprint(os.environ['SITE'])\n")

    run = await finished(api, (await api.post("runs", {"script_id": script["id"]})).body["id"])

    assert run["status"] == "succeeded"
    assert await output_text(api, run["id"]) == "lab-7\n"


async def test_a_configured_store_class_keeps_the_catalog(api, jp_serverapp):
    assert isinstance(services_of(jp_serverapp.web_app.settings).store, CountingStore)
    before = CountingStore.writes

    script = await api.create("kept")
    await api.save(script["id"], "print(1)\n")

    assert CountingStore.writes >= before + 2
    assert (await api.get(f"scripts/{script['id']}")).body["name"] == "kept"

"""Ordinary scripts work inside every sandbox: process pools, temporary files, logging,
the user's name and home. Each file of everyday/ starts with ``# prints: <its stdout>``."""

from __future__ import annotations

from pathlib import Path

import pytest

EVERYDAY = sorted((Path(__file__).parent / "everyday").glob("*.py"))


@pytest.mark.parametrize("script", EVERYDAY, ids=[p.stem for p in EVERYDAY])
async def test_an_everyday_script_runs_as_it_would_on_a_laptop(harness, script: Path):
    code = script.read_text(encoding="utf-8")  # noqa: ASYNC240 - a small file of the test's
    expected = code.splitlines()[0].removeprefix("# prints: ")

    outcome, output = await harness.run(code, timeout_seconds=60)

    assert outcome.status == "succeeded", output.text()
    assert output.text("stdout") == f"{expected}\n"

"""A run's output folder on every runner: what a script leaves in ``$SCRIPTFORGE_OUTPUT`` is
kept, within the caps, and nothing else; earlier runs' kept output is readable, read-only."""

from __future__ import annotations

from pathlib import Path

from jupyter_scriptforge.artifacts.folders import ArtifactFolders, Caps

CAPS = Caps(run_bytes=1 << 20, run_files=20, total_bytes=10 << 20, retention_days=30)

REPORT = """import os, pathlib, atexit
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
print(out)
(out / "charts").mkdir()
(out / "report.csv").write_text("day,total\\n1,42\\n")
(out / "charts" / "total.svg").write_bytes(b"<svg/>")
pathlib.Path("not-kept.txt").write_text("the working folder is not kept")
# Written as the interpreter exits, after the script's own end: kept too.
atexit.register(lambda: (out / "summary.txt").write_text("done"))
"""


def _folders(tmp_path: Path) -> ArtifactFolders:
    return ArtifactFolders(tmp_path / "artifacts", CAPS)


async def test_files_left_in_the_output_folder_are_kept_and_nothing_else(harness, tmp_path):
    folders = _folders(tmp_path)
    intake = folders.intake(7)

    outcome, output = await harness.run(REPORT, keep_output=intake.receive)

    assert outcome.status == "succeeded", output.text()
    assert output.text("stdout").strip().endswith("/output")
    assert [(a.path, a.size) for a in folders.listing(7)] == [
        ("charts/total.svg", 6),
        ("report.csv", 15),
        ("summary.txt", 4),
    ]
    assert folders.file(7, "report.csv").read_text() == "day,total\n1,42\n"
    assert intake.kept.files == 3
    assert intake.kept.note() is None


async def test_a_run_that_writes_nothing_keeps_nothing(harness, tmp_path):
    folders = _folders(tmp_path)
    intake = folders.intake(8)

    outcome, _ = await harness.run("print('no files')", keep_output=intake.receive)

    assert outcome.status == "succeeded"
    assert intake.kept.files == 0
    assert folders.listing(8) == []
    assert folders.folder_of(8) is None


HOSTILE = """import os, pathlib
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "passwd").symlink_to("/etc/passwd")
os.mkfifo(out / "pipe")
(out / "a-first.txt").write_text("fine")
(out / "big.bin").write_bytes(os.urandom(2 << 20))
for n in range(30):
    (out / f"many-{n:02}.txt").write_text(str(n))
"""


async def test_links_pipes_and_files_over_the_caps_are_left_out_and_said(harness, tmp_path):
    folders = _folders(tmp_path)
    intake = folders.intake(9)

    outcome, output = await harness.run(HOSTILE, keep_output=intake.receive)

    assert outcome.status == "succeeded", output.text()
    names = [artifact.path for artifact in folders.listing(9)]
    assert "passwd" not in names
    assert "pipe" not in names
    assert "big.bin" not in names
    assert "a-first.txt" in names
    assert len(names) == CAPS.run_files
    assert not any(path.is_symlink() for path in folders.folder_of(9).rglob("*"))
    note = intake.kept.note()
    assert note is not None
    assert "over 1.0 MiB in all" in note
    assert "over 20 files" in note


READER = """import os, pathlib
inputs = pathlib.Path(os.environ["SCRIPTFORGE_INPUTS"])
print((inputs / "1" / "report.csv").read_text().strip())
try:
    (inputs / "1" / "report.csv").write_text("changed")
except OSError:
    print("read-only")
"""


async def test_a_later_run_reads_an_earlier_runs_kept_output_but_cannot_change_it(
    harness, tmp_path
):
    folders = _folders(tmp_path)
    first = folders.intake(10)
    await harness.run(REPORT, keep_output=first.receive)
    assert first.folder is not None

    outcome, output = await harness.run(READER, inputs={"1": str(first.folder)})

    assert outcome.status == "succeeded", output.text()
    lines = output.text("stdout").splitlines()
    assert lines[:2] == ["day,total", "1,42"]
    if harness.mode != "process":  # the last resort runs as the server's user: no guard
        assert lines[2:] == ["read-only"]
        assert folders.file(10, "report.csv").read_text() == "day,total\n1,42\n"


REDIRECTS = """import os, pathlib
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "kept.txt").write_text("kept")
# What a script quietening a C library does: its own stdout and stderr go nowhere.
quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(quiet, 1)
os.dup2(quiet, 2)
"""


async def test_a_script_that_silences_its_output_still_ends_at_once_with_its_files(
    harness, tmp_path
):
    folders = _folders(tmp_path)
    intake = folders.intake(11)

    outcome, _ = await harness.run(REDIRECTS, keep_output=intake.receive, timeout_seconds=10)

    assert outcome.status == "succeeded"
    assert [a.path for a in folders.listing(11)] == ["kept.txt"]


SLOW = """import os, pathlib, time
out = pathlib.Path(os.environ["SCRIPTFORGE_OUTPUT"])
(out / "partial.txt").write_text("half done")
time.sleep(30)
"""


async def test_a_run_killed_on_its_timeout_keeps_nothing(harness, tmp_path):
    folders = _folders(tmp_path)
    intake = folders.intake(12)

    outcome, _ = await harness.run(SLOW, keep_output=intake.receive, timeout_seconds=1.5)

    assert outcome.status == "timed_out"
    assert intake.kept.files == 0
    assert folders.listing(12) == []

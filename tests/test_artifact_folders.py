"""Keeping runs' artifacts: an archive from inside a sandbox is untrusted (what it may not
do to the server's folders), each run within its caps, all runs within the total and the
retention time."""

from __future__ import annotations

import io
import os
import tarfile
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_scriptforge.artifacts.folders import ArtifactFolders, Caps
from jupyter_scriptforge.errors import NotFound

CAPS = Caps(run_bytes=1000, run_files=5, total_bytes=2500, retention_days=1)


def archive(*members: tarfile.TarInfo | tuple[str, bytes]) -> io.BytesIO:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tar.addfile(member)
            else:
                name, content = member
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    data.seek(0)
    return data


def special(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def test_plain_files_are_kept_under_the_runs_folder(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)

    kept = folders.unpack(1, archive(("./report.csv", b"a,b\n"), ("charts/x.svg", b"<svg/>")))

    assert (kept.files, kept.bytes, kept.note()) == (2, 10, None)
    assert [a.path for a in folders.listing(1)] == ["charts/x.svg", "report.csv"]
    assert folders.file(1, "charts/x.svg").read_bytes() == b"<svg/>"


@pytest.mark.parametrize(
    "member",
    [
        ("../escaped.txt", b"x"),
        ("/etc/escaped.txt", b"x"),
        ("deep/../../escaped.txt", b"x"),
        special("link", tarfile.SYMTYPE, "/etc/passwd"),
        special("hard", tarfile.LNKTYPE, "/etc/passwd"),
        special("device", tarfile.CHRTYPE),
        special("fifo", tarfile.FIFOTYPE),
    ],
    ids=["parent", "absolute", "climbing", "symlink", "hardlink", "device", "fifo"],
)
def test_what_is_no_plain_file_inside_the_folder_is_left_out(tmp_path, member):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)

    kept = folders.unpack(1, archive(member, ("ok.txt", b"ok")))

    assert [a.path for a in folders.listing(1)] == ["ok.txt"]
    assert kept.left_out == {"not plain files": 1}
    assert not (tmp_path / "escaped.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifacts"]


def test_a_name_given_twice_keeps_the_first(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)

    kept = folders.unpack(1, archive(("a.txt", b"first"), ("./a.txt", b"second")))

    assert folders.file(1, "a.txt").read_bytes() == b"first"
    assert kept.left_out == {"named twice": 1}


def test_a_cut_off_archive_keeps_the_whole_files_before_the_cut(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    whole = archive(("one.txt", b"1" * 600), ("two.txt", b"2" * 300)).getvalue()

    # Headers and data in 512-byte blocks: the cut is 100 bytes into two.txt's data.
    kept = folders.unpack(1, io.BytesIO(whole[: 512 + 1024 + 512 + 100]))

    assert [a.path for a in folders.listing(1)] == ["one.txt"]
    assert kept.files == 1
    assert "cut off" in (kept.note() or "")


def test_an_empty_stream_keeps_nothing_and_makes_no_folder(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)

    kept = folders.unpack(1, io.BytesIO(b""))

    assert kept.files == 0
    assert folders.folder_of(1) is None


def test_the_total_cap_removes_the_oldest_runs_first(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    for run in (1, 2, 3):
        folders.unpack(run, archive(("data.bin", b"x" * 1000)))

    assert folders.folder_of(1) is None  # 3,000 bytes > 2,500: the oldest went
    assert folders.folder_of(2) is not None
    assert folders.folder_of(3) is not None


def test_runs_older_than_the_retention_time_go_even_on_a_restarted_server(tmp_path):
    root = tmp_path / "artifacts"
    ArtifactFolders(root, CAPS).unpack(1, archive(("old.txt", b"old")))
    two_days_ago = time.time() - 2 * 86400
    os.utime(root / "1", (two_days_ago, two_days_ago))
    (root / ".incoming-2").mkdir()  # a crash mid-unpacking

    restarted = ArtifactFolders(root, CAPS)
    restarted.unpack(3, archive(("new.txt", b"new")))

    assert restarted.folder_of(1) is None
    assert not (root / ".incoming-2").exists()
    assert restarted.file(3, "new.txt").read_bytes() == b"new"


def test_a_run_under_a_reused_id_keeps_its_own_files_alone(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    folders.unpack(1, archive(("of-another-store.txt", b"x")))

    folders.intake(1).receive(archive(("its-own.txt", b"y")))

    assert [a.path for a in folders.listing(1)] == ["its-own.txt"]


@pytest.mark.parametrize("name", ["../1/a.txt", "/etc/passwd", "", ".", "sub/../a.txt", "nope"])
def test_only_kept_files_can_be_read(tmp_path, name):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    folders.unpack(1, archive(("a.txt", b"a")))

    with pytest.raises(NotFound):
        folders.file(1, name)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8))
def test_no_member_name_writes_outside_the_runs_folder(tmp_path, names):
    root = tmp_path / "artifacts"
    folders = ArtifactFolders(root, CAPS)
    members = [(name, b"x") for name in names if "\0" not in name]

    folders.unpack(1, archive(*members))
    folders.unpack(1, archive(*members))  # again: the run's files are replaced

    outside = [p for p in tmp_path.rglob("*") if root not in (p, *p.parents)]
    assert outside == []
    for path in root.rglob("*"):
        assert not path.is_symlink()
        assert path.is_dir() or path.resolve().is_relative_to((root / "1").resolve())


def test_kept_files_are_readable_by_later_runs_whatever_the_server_s_umask(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    before = os.umask(0o077)
    try:
        folders.unpack(1, archive(("deep/er/report.csv", b"x")))
    finally:
        os.umask(before)

    run = folders.folder_of(1)
    assert run is not None
    for path in (run, run / "deep", run / "deep" / "er"):
        assert path.stat().st_mode & 0o777 == 0o755, path
    assert (run / "deep" / "er" / "report.csv").stat().st_mode & 0o777 == 0o644


class Broken(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise ValueError("a header tarfile cannot read")


def test_a_failure_while_keeping_files_is_said_and_fails_nothing(tmp_path):
    folders = ArtifactFolders(tmp_path / "artifacts", CAPS)
    intake = folders.intake(1)

    intake.receive(io.BufferedReader(Broken()))

    assert intake.kept.files == 0
    assert "ScriptForge failed" in (intake.kept.note() or "")

"""A built environment as a tar stream (the service) and unpacked in a team member's
container (its server): what goes in, what a reader that goes away leaves, and what an
archive may not do to the folder it is unpacked in."""

from __future__ import annotations

import asyncio
import io
import os
import tarfile
import threading
from pathlib import Path

import pytest

from jupyter_scriptforge.environments.archive import WRITER_THREAD, tar_chunks
from jupyter_scriptforge.team.member_packages import _unpack


def environment(folder: Path, megabytes: int = 0) -> Path:
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("VERSION = '1.0'\n")
    (folder / "pkg" / "data.bin").write_bytes(os.urandom(megabytes << 20))
    (folder / ".complete").touch()
    (folder / ".used").touch()
    return folder


async def whole(folder: Path) -> bytes:
    return b"".join([chunk async for chunk in tar_chunks(folder)])


def test_the_stream_holds_the_packages_and_none_of_the_cache_s_marks(tmp_path):
    data = asyncio.run(whole(environment(tmp_path / "env", megabytes=2)))

    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = sorted(tar.getnames())
        module = tar.extractfile("pkg/__init__.py")
        assert module is not None
        assert module.read() == b"VERSION = '1.0'\n"
    assert names == ["pkg", "pkg/__init__.py", "pkg/data.bin"]


def test_a_reader_that_goes_away_stops_the_writer(tmp_path):
    """16 MiB is far more than the chunks written ahead: the writer waits on the reader,
    and must end when the reader does."""
    folder = environment(tmp_path / "env", megabytes=16)

    async def first_chunk_only() -> tuple[int, int]:
        chunks = tar_chunks(folder)
        first = await anext(chunks)
        writing = writers()
        await chunks.aclose()
        return len(first), writing

    first, writing = asyncio.run(first_chunk_only())
    assert first > 0
    assert writing == 1  # it was still writing when the reader left
    assert writers() == 0


def writers() -> int:
    return sum(thread.name == WRITER_THREAD for thread in threading.enumerate())


def archive_of(*entries: tarfile.TarInfo, content: bytes = b"x = 1\n") -> io.BytesIO:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        for entry in entries:
            if entry.isfile():
                entry.size = len(content)
                tar.addfile(entry, io.BytesIO(content))
            else:
                tar.addfile(entry)
    return data


def entry(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for field, value in fields.items():
        setattr(info, field, value)
    return info


def test_a_plain_archive_is_unpacked_whole_into_place(tmp_path):
    archive = archive_of(
        entry("pkg", tarfile.DIRTYPE, mode=0o755), entry("pkg/mod.py", mode=0o4755)
    )

    _unpack(archive, tmp_path, tmp_path / "env")

    assert (tmp_path / "env" / "pkg" / "mod.py").read_bytes() == b"x = 1\n"
    assert not (tmp_path / "env" / "pkg" / "mod.py").stat().st_mode & 0o4000  # no set-uid
    assert sorted(p.name for p in tmp_path.iterdir()) == ["env"]  # no staging left


@pytest.mark.parametrize(
    "bad",
    [
        entry("../outside.py"),
        entry("/tmp/absolute.py"),
        entry("pkg/link", tarfile.SYMTYPE, linkname="/etc/passwd"),
        entry("pkg/hard", tarfile.LNKTYPE, linkname="../outside.py"),
        entry("pkg/device", tarfile.CHRTYPE),
    ],
    ids=["parent", "absolute", "symlink", "hardlink", "device"],
)
def test_an_archive_reaching_outside_or_holding_links_is_refused_and_leaves_nothing(tmp_path, bad):
    folder = tmp_path / "packages"
    folder.mkdir()
    archive = archive_of(entry("pkg", tarfile.DIRTYPE, mode=0o755), bad)

    with pytest.raises(ValueError, match="unexpected entry"):
        _unpack(archive, folder, folder / "env")

    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packages"]

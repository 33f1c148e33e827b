"""A run's output folder (``$SCRIPTFORGE_OUTPUT``): made before the script starts, and what
the script left in it packed as an uncompressed tar archive once it has ended.

Shared by the local runner's launcher (inside/launch.py: the archive goes to its report
descriptor, after the peak) and the Docker runner (inside/container.py makes the folder; the
runner packs it through ``docker exec``, to stdout). The server reads the archive as
untrusted: a script could have written anything in its place, but only to spoil its own.

Annotations are quoted: they must not be evaluated by a Python 3.8.
"""

import errno
import os

# Where the archive starts in the local launcher's report descriptor: the peak comes first
# (runners/base.py has the same number).
OUTPUT_ARCHIVE_OFFSET = 4096
# Errors of reading one file (gone, or closed to the script's user): that file is left out.
_UNREADABLE = (errno.ENOENT, errno.EACCES, errno.EPERM, errno.ELOOP)


def make_output_folder(folder: "str") -> None:
    try:
        os.mkdir(folder, 0o755)
    except FileExistsError:
        pass


def pack_output(folder: "str", fd: "int", offset: "int" = -1) -> None:
    """Write the regular files below ``folder`` to ``fd`` as a tar archive (from ``offset``
    when it is not -1). Nothing is written for an empty folder; writing stops at the first
    write error (the file size limit), and the server keeps the whole files before it."""
    try:
        if not os.listdir(folder):
            return
    except OSError:
        return
    try:
        _pack(folder, fd, offset)
    except Exception:  # noqa: S110 - a tarfile.py of the script's, a folder 1000 deep…
        pass  # what was written is kept up to its last whole file; the run ends as it did


def _pack(folder: "str", fd: "int", offset: "int") -> None:
    import tarfile

    if offset >= 0:
        os.lseek(fd, offset, os.SEEK_SET)
    # Not one parenthesised ``with``: a Python 3.8 runs this.
    with os.fdopen(fd, "wb", closefd=False) as stream:  # noqa: SIM117
        with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as archive:
            for path, name in _files(folder):
                try:
                    archive.add(path, arcname=name, recursive=False)
                except OSError as error:
                    if error.errno not in _UNREADABLE:
                        raise  # a write error (the file size limit): the archive ends here


def _files(folder: "str") -> "list[tuple[str, str]]":
    """Each regular file below ``folder`` and its name there, in name order; links,
    devices and pipes are left out (``os.walk`` follows no links to folders)."""
    import stat

    found = []
    for top, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(top, name)
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    found.append((path, os.path.relpath(path, folder)))
            except OSError:
                pass
    return found

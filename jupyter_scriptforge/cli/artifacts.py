"""``jupyter scriptforge artifacts RUN``: the files a run kept from its output folder, listed
or downloaded."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from traitlets import Unicode

from .client import Client
from .command import ALIASES, CommandError, ScriptForgeCommand, when


class ArtifactsCommand(ScriptForgeCommand):
    name = "artifacts"
    description = """The files a run kept from its output folder ($SCRIPTFORGE_OUTPUT):
    jupyter scriptforge artifacts RUN lists them; with --to DIR, downloads them (all, or the
    PATHs named after RUN) into DIR, folders included."""
    aliases = {**ALIASES, "to": "ArtifactsCommand.to"}
    to = Unicode("", help="Download into this folder instead of listing.").tag(config=True)

    def run(self, client: Client) -> None:
        run_id = self.argument(0, "RUN")
        if not run_id.isdigit():
            raise CommandError(
                f"RUN is a run's number (see `jupyter scriptforge runs`), not {run_id!r}"
            )
        listing = client.call("GET", f"runs/{run_id}/artifacts")
        files: list[dict[str, Any]] = listing["artifacts"]
        if not self.to:
            rows = [[f["path"], str(f["size"]), when(f["modified"])] for f in files]
            self.show(listing, rows, ["PATH", "BYTES", "MODIFIED"])
            return
        wanted = [str(name) for name in self.extra_args[1:]]
        unknown = sorted(set(wanted) - {f["path"] for f in files})
        if unknown:
            raise CommandError(f"run {run_id} kept no file {unknown[0]!r}")
        for path in wanted or [f["path"] for f in files]:
            target = _inside(Path(self.to), path)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise CommandError(f"could not make {target.parent}: {error}") from None
            partial = target.with_name(f".{target.name}.{os.getpid()}.part")
            try:
                with partial.open("wb") as file:
                    client.download(f"runs/{run_id}/artifact", {"path": path}, file)
                partial.replace(target)
            except OSError as error:
                raise CommandError(f"could not write {target}: {error}") from None
            finally:
                partial.unlink(missing_ok=True)
            print(target)


def _inside(folder: Path, path: str) -> Path:
    """``folder/path``, refusing a name that would leave ``folder``."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise CommandError(f"refusing to write {path!r} outside {folder}")
    return folder.joinpath(*relative.parts)

"""A real PEP 503 package index on loopback, serving wheels built here: the resolver and
installer are uv as the server runs it, and no test depends on a public index."""

from __future__ import annotations

import base64
import hashlib
import html
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def write_wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """A pure-Python wheel of a module ``name`` whose ``VERSION`` is ``version``."""
    dist = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    files = {
        f"{name}/__init__.py": f'VERSION = "{version}"\n',
        f"{dist}/METADATA": metadata,
        f"{dist}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: scriptforge-tests\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    record = "".join(
        f"{path},{_digest(text.encode())},{len(text.encode())}\n" for path, text in files.items()
    )
    files[f"{dist}/RECORD"] = record + f"{dist}/RECORD,,\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def _digest(data: bytes) -> str:
    encoded = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + encoded.decode()


class PackageIndex:
    """``url`` is the simple index; ``add`` publishes a wheel (a new version appears)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        (folder / "files").mkdir(parents=True, exist_ok=True)
        self.url = ""

    def add(self, name: str, version: str, *requires: str) -> None:
        wheel = write_wheel(self.folder / "files", name, version, requires)
        page = self.folder / "simple" / name / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        links = []
        for found in sorted((self.folder / "files").glob(f"{name}-*.whl")):
            sha = hashlib.sha256(found.read_bytes()).hexdigest()
            href = html.escape(f"../../files/{found.name}#sha256={sha}")
            links.append(f'<a href="{href}">{found.name}</a><br>')
        page.write_text("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
        assert wheel.exists()


class _Quiet(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # As many private indexes answer: revalidate, so a release shows at once.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[PackageIndex]:
    index = PackageIndex(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    index.url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()

# expect: warn B324  (md5 as a checksum is a hygiene finding, not a block)
import hashlib
from pathlib import Path


def digest(path: Path, algorithm: str = "sha256") -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


for path in Path("downloads").glob("*.iso"):
    print(digest(path), hashlib.md5(path.read_bytes()).hexdigest(), path.name)

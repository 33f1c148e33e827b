"""Compact storage of successive versions: zstd with the previous version as dictionary.

A small edit of a 20 KB script compresses to a few dozen bytes against its predecessor.
Reading a version applies its chain of deltas from the nearest full copy, so a full copy
is written whenever the chain would grow past ``MAX_CHAIN_DEPTH``: reads stay short.
"""

import zstandard

MAX_CHAIN_DEPTH = 200
_DELTA_LEVEL = 9
_FULL_LEVEL = 12


def _params(level: int) -> dict[str, object]:
    # Sizes and ids are known from the row; leave them out of every frame.
    return {"level": level, "write_checksum": False, "write_dict_id": False}


def compress_full(content: bytes) -> bytes:
    return zstandard.ZstdCompressor(**_params(_FULL_LEVEL)).compress(content)  # type: ignore[arg-type]


def compress_delta(base: bytes, content: bytes) -> bytes:
    dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    compressor = zstandard.ZstdCompressor(dict_data=dictionary, **_params(_DELTA_LEVEL))  # type: ignore[arg-type]
    return compressor.compress(content)


def decompress(data: bytes, base: bytes | None) -> bytes:
    """The content of a full copy (``base`` None) or of a delta against ``base``."""
    if base is None:
        return zstandard.ZstdDecompressor().decompress(data)
    dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(data)


def decompress_chain(frames: list[bytes]) -> bytes:
    """The content at the end of a chain: a full copy, then deltas each on the one before."""
    return zstandard.ZstdDecompressor().decompress_content_dict_chain(frames)  # type: ignore[arg-type]

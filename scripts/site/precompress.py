"""Brotli and gzip twins of the built site's compressible files (`x.wasm` → `x.wasm.br`, `x.wasm.gz`).

Static hosts such as nginx (`brotli_static`, `gzip_static`) and `scripts/tools/serve.py` send
a twin with the matching `Content-Encoding` when the browser accepts it. Twins are kept
only when they save at least 5 %. Compressing the wasm runtime at brotli's best setting is
slow (see the README's figures), so results are cached by content hash in `.cache/`.

`python -m scripts.site.precompress SITE_DIR` runs it on its own.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import brotli

from scripts.site.hosting import COMPRESSIBLE
from scripts.tools import atomic

ROOT = Path(__file__).resolve().parents[2]
MIN_BYTES = 1024
MIN_SAVING = 0.05
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    ".br": lambda data: brotli.compress(data, quality=11),
    ".gz": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


def candidates(site: Path) -> Iterator[Path]:
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_BYTES:
            yield path


def _compressed(data: bytes, suffix: str, cache: Path) -> bytes:
    cached = cache / (hashlib.sha256(data).hexdigest() + suffix)
    if cached.exists():
        return cached.read_bytes()
    packed: bytes = ENCODERS[suffix](data)
    atomic.write_bytes(cached, packed)  # another build may read it the moment it exists
    return packed


def precompress(site: Path, cache: Path | None = None) -> list[Path]:
    """Write the worthwhile twins next to each file; returns the twins written."""
    cache = cache or ROOT / ".cache" / "precompressed"
    written = []
    for path in candidates(site):
        data = path.read_bytes()
        for suffix in ENCODERS:
            packed = _compressed(data, suffix, cache)
            twin = path.with_name(path.name + suffix)
            if len(packed) <= len(data) * (1 - MIN_SAVING):
                twin.write_bytes(packed)
                written.append(twin)
            elif twin.exists():
                twin.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write .br and .gz twins of a built site's compressible files.")
    parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    written = precompress(args.site)
    print(f"precompress: {len(written)} twins in {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

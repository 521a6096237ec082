"""Cache files that two builds in one checkout can share (`make dev` beside `make build`).

A cache entry is written under a name no other process uses, then renamed into place, so a
reader sees either no entry or a whole one; a folder that another build published first is kept
and ours is dropped. Steps that are slow and worth doing once (the wheel, the lockfile, the
bytecode) also hold a lock on the cache folder, so a second build waits for the first instead of
doing the same minutes of work beside it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all, whatever other processes do at the same moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def scratch_dir(final: Path) -> Path:
    """A new empty folder beside `final`, this process's own, to fill before `publish`."""
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".partial"))


def publish(scratch: Path, final: Path) -> None:
    """Move a filled scratch folder to `final`; if another build published it meanwhile, keep theirs."""
    try:
        scratch.rename(final)
    except OSError:
        if not final.is_dir():
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (created if needed) for the block; released on exit or death."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

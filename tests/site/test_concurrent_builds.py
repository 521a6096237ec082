"""Two builds in one checkout (`make dev` beside `make build`) share `.cache/` without breaking
each other: cache entries appear whole or not at all, and slow steps run once."""

from __future__ import annotations

import multiprocessing
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scripts.tools import atomic
from scripts.tools.chromium import build_site

ROOT = Path(__file__).resolve().parents[2]


def _hold_lock(folder: str, log: str, name: str) -> None:
    with atomic.locked(Path(folder)):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{name} in\n")
        time.sleep(0.3)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{name} out\n")


def test_the_lock_lets_one_process_in_at_a_time(tmp_path: Path) -> None:
    log = tmp_path / "log"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hold_lock, args=(str(tmp_path / "cache"), str(log), n)) for n in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    lines = log.read_text(encoding="utf-8").split()
    # Without the lock both would be "in" before either is "out".
    assert [lines[i + 1] for i in range(0, len(lines), 2)] == ["in", "out", "in", "out"]
    assert lines[0] == lines[2] and lines[4] == lines[6] and lines[0] != lines[4]


def test_a_folder_published_first_by_another_build_is_kept(tmp_path: Path) -> None:
    final = tmp_path / "wheel-abc"
    theirs = atomic.scratch_dir(final)
    (theirs / "x.whl").write_text("theirs", encoding="utf-8")
    ours = atomic.scratch_dir(final)
    (ours / "x.whl").write_text("ours", encoding="utf-8")
    assert theirs != ours  # each process fills a folder of its own
    atomic.publish(theirs, final)
    atomic.publish(ours, final)
    assert (final / "x.whl").read_text(encoding="utf-8") == "theirs"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["wheel-abc"]  # no scratch left


def test_a_failed_write_leaves_no_entry_and_no_scrap(tmp_path: Path) -> None:
    target = tmp_path / "entry.br"
    with pytest.raises(TypeError):
        atomic.write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    atomic.write_bytes(target, b"whole")
    assert target.read_bytes() == b"whole"


@pytest.mark.slow
def test_two_builds_at_once_both_succeed(tmp_path: Path, built_site: Path) -> None:
    """`built_site` first: the slow, cached steps are done, as they are once `make dev` has run."""
    outs = [tmp_path / "one", tmp_path / "two"]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(build_site, outs))
    for completed in results:
        assert completed.returncode == 0, completed.stderr[-2000:]
    sheets = [sorted(path.name for path in (out / "assets" / "stylesheets").glob("site.*.css")) for out in outs]
    assert sheets[0] == sheets[1] and len(sheets[0]) == 1
    for out in outs:
        assert (out / "calculator" / "index.html").is_file()
        assert (out / "assets" / "stylesheets" / sheets[0][0]).read_bytes() == (
            built_site / "assets" / "stylesheets" / sheets[0][0]
        ).read_bytes()


def _lockfile(paths: tuple[str, str]) -> str:
    from scripts.pyodide.bundle import register_wheel

    wheel, cache = paths
    lock = register_wheel(Path(wheel), ROOT / "node_modules" / "pyodide", Path(cache))
    return lock.read_text(encoding="utf-8")


@pytest.mark.slow
def test_two_builds_registering_one_wheel_at_once_both_get_its_lockfile(tmp_path: Path) -> None:
    """What `make dev` and `make build` did together after an edit to calculator/: both wrote and
    removed the same temporary lockfile ("add-wheels failed … does not exist")."""
    from scripts.pyodide.bundle import build_wheel

    wheel = build_wheel(ROOT, tmp_path / "wheels")
    context = multiprocessing.get_context("spawn")
    for attempt in range(3):  # the old code failed most tries; three make a miss unlikely
        cache = tmp_path / f"cache-{attempt}"
        with context.Pool(2) as pool:
            locks = pool.map(_lockfile, [(str(wheel), str(cache))] * 2)
        assert locks[0] == locks[1]
        assert wheel.name in locks[0]
        assert [path.name for path in cache.iterdir() if not path.name.startswith("lock-")] == []  # no scraps

"""What every browser test shares: when the calculator is ready, how long it may take, and its worker."""

from __future__ import annotations

from typing import Any

READY = '[data-calculator][data-state="ready"]'
LOAD_TIMEOUT = 60_000  # ms: a cold start of the runtime on a busy 2-core machine


def calculator_workers(page: Any) -> list[Any]:
    """The page's calculator workers: worker.mjs, or on a first visit the page's copy of it (a
    blob: URL); not the theme's search worker."""
    return [worker for worker in page.workers if "/workers/search" not in worker.url]

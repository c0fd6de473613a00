# Every target sets up what it needs: a virtualenv with the package, Graphviz's `dot`,
# and (for the browser tests) Debian's Chromium.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What serving needs (the package and its metrics extra: the examples have data), and
# what testing adds (reference implementations, the browser driver, the type checker).
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup setup-site serve build test check bench clean dot chromium

setup-site: $(SITE_STAMP) dot

setup: $(TEST_STAMP) dot

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SITE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[metrics]'
	touch $(SITE_STAMP)

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(SITE_STAMP) $(TEST_STAMP)

dot:
	@sh scripts/ensure-system-package.sh dot graphviz fonts-dejavu-core

# Noto Color Emoji: an emoji in an example renders as its picture, not as an empty box.
chromium:
	@sh scripts/ensure-system-package.sh chromium chromium fonts-dejavu-core fonts-liberation2 fonts-noto-color-emoji

serve: setup-site
	$(BIN)/labelbook serve --dev-addr 127.0.0.1:8000

build: setup-site
	$(BIN)/labelbook build --site-dir site

check: setup-site
	$(BIN)/labelbook check --strict specs

test: setup chromium
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/bench_check.py

clean:
	rm -rf site .labelbook-cache

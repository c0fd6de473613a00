# Every target sets up what it needs: a virtualenv with the package, Graphviz's `dot`,
# and (for the browser tests) Debian's Chromium.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test check bench clean dot chromium

setup: $(STAMP) dot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

dot:
	@sh scripts/ensure-system-package.sh dot graphviz fonts-dejavu-core

chromium:
	@sh scripts/ensure-system-package.sh chromium chromium fonts-dejavu-core fonts-liberation2

serve: setup
	$(BIN)/labelbook serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/labelbook build --site-dir site

check: setup
	$(BIN)/labelbook check --strict specs

test: setup chromium
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/bench_check.py

clean:
	rm -rf site .labelbook-cache

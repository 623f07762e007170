# Two commands: `make book` builds the HTML book, `make test` runs every check.
# Both set everything up on a fresh machine and are fast when nothing changed.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.stamp-requirements
ASSETS := book/_vendor/.stamp
HTML   := book/_build/html
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/_build/*' -not -path '*/.ipynb_checkpoints/*' | sort)

export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

.PHONY: help setup book test test-lib test-notebooks test-browser notebooks browser clean

help:
	@echo "make book       set up (.venv, browser assets) and build the HTML book into $(HTML)"
	@echo "make test       set up, then library tests, strict nbval, the -W book build, browser test"
	@echo "make notebooks  re-execute every notebook in place (refresh stored outputs + widget state)"
	@echo "make clean      remove the build and the caches (keeps .venv)"

$(STAMP): requirements.txt lib/pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(ASSETS): package.json package-lock.json tools/vendor-assets.sh
	bash tools/vendor-assets.sh

setup: $(STAMP) $(ASSETS)

# Debian's Chromium for the browser test (never a browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@/usr/bin/chromium --version

# Build from the stored outputs (execute_notebooks: off); clean, so no stale doctrees.
book: setup
	rm -rf book/_build
	$(BIN)/jupyter-book build book -W -n --keep-going
	@echo "open $(HTML)/index.html"

test-lib: setup
	$(PY) -m pytest -W error tests lib/meanfield --doctest-modules --ignore=tests/browser

test-notebooks: setup
	$(PY) -m pytest --nbval -p no:cacheprovider $(NOTEBOOKS)

test-browser: setup browser
	$(PY) -m pytest -p no:cacheprovider tests/browser

test: setup browser
	$(MAKE) test-lib
	$(MAKE) test-notebooks
	$(MAKE) book
	$(MAKE) test-browser

notebooks: setup
	$(PY) tools/run_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf book/_build .pytest_cache .hypothesis

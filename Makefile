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
BUILD  ?= book/_build
HTML   := $(BUILD)/html
LATEX  := $(BUILD)/latex
PDF    := $(LATEX)/kinetic-mfg-book.pdf
DIST   ?= dist
# the site the browser test opens: the HTML unzipped from the dist archive
SITE   := $(BUILD)/dist-site/kinetic-mfg-book-html
# warnings are errors (-W), cross-references checked (-n)
JB_FLAGS ?= -W -n --keep-going
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/_build/*' -not -path '*/.ipynb_checkpoints/*' | sort)
# Debian packages: Chromium for the browser test; xelatex + latexmk for the PDF,
# pdftotext (poppler-utils) for its test, DejaVu fonts for its text, Latin Modern Math for its formulas.
APT_BROWSER := chromium
APT_LATEX   := texlive-latex-extra texlive-fonts-recommended texlive-xetex latexmk poppler-utils fonts-dejavu-core fonts-lmodern

export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

.PHONY: help setup book pdf dist test test-lib test-notebooks test-browser notebooks browser latex clean

help:
	@echo "make book       set up (.venv, browser assets) and build the HTML book into $(HTML)"
	@echo "make pdf        the whole book as one PDF ($(PDF)); installs TeX Live from Debian if missing"
	@echo "make dist       $(DIST)/: the site (zip), the PDF, the notebooks (zip), the meanfield wheel, README.txt"
	@echo "make test       set up, then library tests, strict nbval, the -W book build, the PDF, dist, browser test"
	@echo "make notebooks  re-execute every notebook in place (outputs, widget state, book/_data/execution.json)"
	@echo "make clean      remove the build, dist/ and the caches (keeps .venv)"

$(STAMP): requirements.txt lib/pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(ASSETS): package.json package-lock.json tools/vendor-assets.sh
	bash tools/vendor-assets.sh

setup: $(STAMP) $(ASSETS)

# Debian packages, installed only when missing (root, or through sudo; never a browser or TeX download).
# $(1): packages, $(2): extra apt-get options
define apt_install
if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(2) $(1) >/dev/null
endef

browser:
	@if [ ! -x /usr/bin/chromium ]; then $(call apt_install,$(APT_BROWSER)); fi
	@/usr/bin/chromium --version

# about 110 MB to download, 340 MB installed; xelatex, latexmk, pdftotext and the fonts must all be there
latex:
	@if ! { command -v xelatex && command -v latexmk && command -v pdftotext && test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf \
	      && test -f /usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf; } >/dev/null 2>&1; then \
	  $(call apt_install,$(APT_LATEX),--no-install-recommends); \
	fi
	@xelatex --version | head -1

# Build from the stored outputs (execute_notebooks: off); clean, so no stale doctrees.
book: setup
	rm -rf $(BUILD)
	$(BIN)/jupyter-book build book $(JB_FLAGS) $(if $(filter-out book/_build,$(BUILD)),--path-output $(dir $(BUILD)))
	@echo "open $(HTML)/index.html"

# The PDF through Jupyter Book's LaTeX builder (xelatex, latexmk). Panels and
# animations appear as their stored frame. Reuses the HTML build's doctrees.
pdf: setup latex
	rm -rf $(LATEX)
	$(BIN)/jupyter-book build book --builder pdflatex $(JB_FLAGS) $(if $(filter-out book/_build,$(BUILD)),--path-output $(dir $(BUILD)))
	@test -s $(PDF)
	@echo "$(PDF): $$(pdfinfo $(PDF) | awk '/^Pages:/ {print $$2}') pages"

# What an instructor copies to a USB stick: needs the HTML book and the PDF.
dist: setup
	@test -f $(HTML)/intro.html || $(MAKE) book
	@test -f $(PDF) || $(MAKE) pdf
	$(PY) tools/make_dist.py --html $(HTML) --pdf $(PDF) --out $(DIST)

test-lib: setup
	$(PY) -m pytest -W error tests lib/meanfield --doctest-modules --ignore=tests/browser

test-notebooks: setup
	$(PY) -m pytest --nbval -p no:cacheprovider $(NOTEBOOKS)

# The browser test opens the site unzipped from the dist archive
# (MEANFIELD_BOOK_HTML); the PDF test reads the LaTeX log and the PDF (MEANFIELD_BOOK_LATEX).
test-browser: setup browser
	@test -f $(DIST)/kinetic-mfg-book-html.zip || $(MAKE) dist
	rm -rf $(dir $(SITE))
	$(PY) -m zipfile -e $(DIST)/kinetic-mfg-book-html.zip $(dir $(SITE))
	MEANFIELD_BOOK_HTML=$(abspath $(SITE)) MEANFIELD_BOOK_LATEX=$(abspath $(LATEX)) MEANFIELD_DIST=$(abspath $(DIST)) \
	  $(PY) -m pytest -p no:cacheprovider tests/browser

test: setup browser latex
	$(MAKE) test-lib
	$(MAKE) test-notebooks
	$(MAKE) book
	$(MAKE) pdf
	$(MAKE) dist
	$(MAKE) test-browser

notebooks: setup
	$(PY) tools/run_notebooks.py $(NOTEBOOKS)

clean:
	rm -rf book/_build $(DIST) .pytest_cache .hypothesis

# cxresearch: `make help` lists the targets. The two that matter are `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.cxresearch-installed
SITE_STAMP := $(VENV)/.cxresearch-site-installed
LAB_STAMP  := $(VENV)/.cxresearch-lab-installed
# make lab: as root (a container) JupyterLab needs --allow-root; LAB_ARGS passes more options,
# LAB_DIR opens another folder (a student's copies)
LAB_ROOT   := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
LAB_ARGS   ?=
LAB_DIR    ?= notebooks/
SCREENSHOTS := _site_screenshots
NBVAL  := --nbval
JOBS   ?= 2

.PHONY: help run test test-portable run-portable venv lab figures data lint unit notebooks benchmarks validate lower-bounds clean distclean site test-site

help: ## show this help
	@echo "cxresearch -- make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@echo "==> setting up $(VENV) (Python >= 3.11, pinned by constraints.txt)"
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cxresearch needs Python >= 3.11; set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet --progress-bar off -c constraints.txt -e ".[dev]"
	@touch $(STAMP)
	@echo "==> $(VENV) ready"

venv: $(STAMP) ## create or update .venv (pinned by constraints.txt)

$(SITE_STAMP): $(STAMP) pyproject.toml constraints.txt
	@echo "==> installing the site tools (Sphinx, MyST-NB, pydata-sphinx-theme, Selenium)"
	@$(PY) -m pip install --quiet --progress-bar off -c constraints.txt -e ".[dev,site]"
	@touch $(SITE_STAMP)

run: $(STAMP) ## set up, rebuild data/processed/ and execute every notebook in order (regenerates figures/)
	@echo "==> rebuilding data/processed/ (seeded synthetic study)"
	@$(PY) -m cxresearch data build
	@echo "==> executing notebooks"
	@$(PY) -m cxresearch run
	@echo "==> done: figures in figures/, list them with: $(PY) -m cxresearch figures"
	@$(MAKE) --no-print-directory site

test: $(STAMP) ## set up, then ruff + unit tests + doctests + every notebook under nbval
	@echo "==> ruff"
	@$(PY) -m ruff check cxresearch tests benchmarks scripts conftest.py
	@echo "==> pytest: unit tests, doctests and notebooks (nbval), $(JOBS) workers"
	@$(PY) -m pytest -n $(JOBS) --dist loadscope $(NBVAL)

test-portable: $(STAMP) ## every notebook + the estimators' reference tests again under perturbed numerics (SIMD off, other BLAS kernels, 1 thread)
	@$(PY) scripts/portable.py test

run-portable: $(STAMP) ## make run under each perturbed numeric environment; git status must stay empty
	@$(PY) scripts/portable.py run

site: $(SITE_STAMP) ## build the report site into _site/ from the executed notebooks (no re-execution)
	@echo "==> building the report site (Sphinx + MyST-NB) into _site/"
	@$(PY) -m cxresearch.report.site

test-site: site ## the built site in headless Chromium (system chromium + chromedriver): images, alt, links, JS errors; screenshots
	@echo "==> site tests: static links, then headless Chromium (screenshots in $(SCREENSHOTS)/)"
	@CXRESEARCH_SITE_TESTS=1 $(PY) -m pytest -q tests/test_site.py
	@echo "==> screenshots of the built site in $(SCREENSHOTS)/:"
	@ls -1 $(SCREENSHOTS)/ | sed 's|^|    $(SCREENSHOTS)/|'

lint: $(STAMP) ## ruff only
	@$(PY) -m ruff check cxresearch tests benchmarks scripts conftest.py

unit: $(STAMP) ## unit tests and doctests only (no notebooks)
	@$(PY) -m pytest -n $(JOBS) --dist loadscope tests cxresearch

notebooks: $(STAMP) ## nbval over the notebooks only
	@$(PY) -m pytest -n $(JOBS) --dist loadscope $(NBVAL) notebooks

figures: $(STAMP) ## re-execute the notebooks (in place) and list the figures they wrote
	@$(PY) -m cxresearch run
	@$(PY) -m cxresearch figures

data: $(STAMP) ## rebuild data/processed/ and check it against its sha256 manifest
	@$(PY) -m cxresearch data build
	@$(PY) -m cxresearch data verify

$(LAB_STAMP): $(STAMP) pyproject.toml constraints.txt
	@echo "==> installing JupyterLab (the lab extra)"
	@$(PY) -m pip install --quiet --progress-bar off -c constraints.txt -e ".[dev,lab]"
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP) ## JupyterLab on notebooks/ (--allow-root as root); options: LAB_ARGS="--port 9999", LAB_DIR=DIR
	@$(PY) -m jupyter lab $(LAB_ROOT) $(LAB_ARGS) $(LAB_DIR)

benchmarks: $(STAMP) ## run the speed benchmarks (prints ratios; figures go in the README)
	@for f in benchmarks/bench_*.py; do echo "==> $$f"; $(PY) $$f || exit 1; done

validate: $(STAMP) ## long simulation validations (bias, coverage); minutes, not part of make test
	@for f in scripts/validate_*.py; do echo "==> $$f"; $(PY) $$f || exit 1; done

lower-bounds: ## test pyproject's lower bounds: lowest allowed versions (uv lowest-direct), unit tests + doctests
	@test -x .venv-lowest/bin/python || $(PYTHON) -m venv .venv-lowest
	@.venv-lowest/bin/python -m pip install --quiet uv
	@VIRTUAL_ENV=.venv-lowest .venv-lowest/bin/uv pip install --quiet --resolution lowest-direct -e ".[dev]"
	@.venv-lowest/bin/python -m pytest -n $(JOBS) --dist loadscope -W ignore::DeprecationWarning tests cxresearch

clean: ## remove caches and runs/ (keeps .venv, data and figures)
	rm -rf runs .pytest_cache .ruff_cache build *.egg-info _site $(SCREENSHOTS)
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv and .venv-lowest
	rm -rf $(VENV) .venv-lowest

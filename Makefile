# Belarus: repression and sanctions — reproducible notebooks.
# `make all` runs everything, `make test` runs the tests; both set up what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PKG := belarus_repression
# Overrides for the notebooks' parameters, e.g. make all PARAMS="as_of=2022-01-27"
PARAMS ?=

export TZ := UTC
export PYTHONHASHSEED := 0
export POLARS_MAX_THREADS := 2

.DEFAULT_GOAL := help
.PHONY: help venv data all test verify bench lint format lock store-outputs lab clean clean-all

## Show the targets and what they do
help:
	@awk 'BEGIN {FS=":"} /^## / {doc=substr($$0,4); next} /^[a-zA-Z_-]+:/ && doc {printf "  make %-14s %s\n", $$1, doc; doc=""} !/^## / {doc=""}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name belarus-repression \
		--display-name "Python (belarus-repression)" >/dev/null
	touch $@

## Build the local virtual environment from the pinned lock (requirements.lock)
venv: $(VENV)/.installed

## Fetch every raw file into data/raw/ (from $DATA_MIRROR if set, else its URL) and verify sha256
data: venv
	$(BIN)/python -m $(PKG) fetch

## Run the whole analysis: fetch, then every out-of-date notebook, figures and gallery
all: data
	$(BIN)/python -m $(PKG) run $(foreach p,$(PARAMS),--set $(p))

## Run the tests: ruff, unit tests, and nbval re-executing every committed notebook
test: all
	$(BIN)/ruff check src tests scripts notebooks
	$(BIN)/python -m pytest -n 2 --dist loadscope tests notebooks --nbval \
		--nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

## Rebuild everything from raw into build/verify and compare with the manifest's hashes
verify: data
	$(BIN)/python -m $(PKG) verify

## Time a cold run, a no-op re-run and each notebook against the floor; print peak memory
bench: data
	$(BIN)/python scripts/bench.py

## Lint and check formatting of the package, tests and notebooks
lint: venv
	$(BIN)/ruff check src tests scripts notebooks
	$(BIN)/ruff format --check src tests scripts

## Format the code
format: venv
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

## Re-resolve requirements.lock from pyproject.toml (needs uv; then update environment.yml)
# rfc3987-syntax is left out on purpose: jsonschema imports it eagerly only to check the `iri`
# format, which no notebook or Jupyter schema uses, and the import compiles ~35 grammars
# (1.9 s on every kernel start; python-jsonschema/jsonschema#1428).
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--no-emit-package rfc3987-syntax -o requirements.lock

## Store the last run's executed notebooks (default parameters) as nbval's reference outputs
store-outputs: all
	$(BIN)/python -m $(PKG) store-outputs

## Open the notebooks in JupyterLab
lab: data
	$(BIN)/jupyter lab notebooks

## Remove processed outputs, figures and executed notebooks (raw files stay)
clean:
	rm -rf build data/processed/*.parquet reports/figures reports/notebooks reports/index.html

## Remove everything made here, raw files and the environment included
clean-all: clean
	rm -rf $(VENV) data/processed/manifest.json
	find data/raw -mindepth 1 -not -name registry.toml -not -name README.md -delete

# cablegram: `make demo` and `make test` set everything up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Separate stamps: the demo installs the run-time dependencies only; the test extras (pytest, PySpark,
# Playwright, ...) come with the first `make test`, in the same venv.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
DB ?= cablegram.duckdb
PORT ?= 8000
DATA ?= ../shared/data/plv_train.tsv
SHARED_DATA ?= ../shared/data
SEEDS := $(wildcard ../shared/seeds/*.txt)  # the two real sample reports, when ../shared is beside the project

.PHONY: setup demo test system-deps train bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(RUN_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/cablegram ingest corpus/sample $(SEEDS) --db $(DB)
	$(BIN)/cablegram serve --db $(DB) --host 127.0.0.1 --port $(PORT)

system-deps:
	scripts/system_deps.sh

test: system-deps $(TEST_STAMP)
	$(BIN)/python -m pytest -q

train: $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python scripts/train_classifier.py --data $(DATA)
	$(BIN)/python scripts/train_extractor.py --data $(SHARED_DATA) --reports eval/dev
	$(BIN)/python scripts/train_pair_encoder.py --data $(SHARED_DATA) --reports eval/dev

bench: $(RUN_STAMP)
	$(BIN)/cablegram bench

clean:
	rm -rf $(VENV) $(DB) .pytest_cache

# cablegram: `make demo` and `make test` set everything up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= cablegram.duckdb
DATA ?= ../shared/data/plv_train.tsv
SEEDS := $(wildcard ../shared/seeds/*.txt)  # the two real sample reports, when ../shared is beside the project

.PHONY: setup demo test train bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/cablegram ingest corpus/sample $(SEEDS) --db $(DB)
	$(BIN)/cablegram serve --db $(DB) --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest -q

train: $(STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python scripts/train_classifier.py --data $(DATA)

bench: $(STAMP)
	$(BIN)/cablegram bench

clean:
	rm -rf $(VENV) $(DB) .pytest_cache

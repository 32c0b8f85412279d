# The README's two commands are `make demo` and `make test`; each installs what it needs first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint check clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,train]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the embedded default (SQLite in ./pantau-data, no other service): scan the example
## statuses, explain one verdict, then run a simulated week of a nearby feed over Kota Malang through
## the whole service and print where to look (start it with `.venv/bin/pantau serve`).
demo: $(STAMP)
	$(VENV)/bin/pantau scan examples/statuses.jsonl
	$(VENV)/bin/pantau explain "Ready 0p3n 𝐁𝐎 kak, ST 300 LT 800 include room. WA aja"
	$(VENV)/bin/pantau demo

## All tests (and the linter, which is part of the suite).
test: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

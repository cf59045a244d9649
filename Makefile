# munitag: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test lint bench venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

venv: $(BIN)/python

## demo: create .venv, install munitag, tag the bundled sample text
demo: venv
	$(PIP) install -e .
	$(BIN)/munitag tag examples/sample.txt

## test: install the test extras, lint and format-check the glossary, run the test suite
test: venv
	$(PIP) install -e '.[test]'
	$(BIN)/munitag glossary lint glossary
	$(BIN)/munitag glossary fmt --check glossary
	$(BIN)/python -m pytest

## bench: install the benchmark extras and run bench/ (writes bench/results.json and bench/README.md)
bench: venv
	$(PIP) install -e '.[bench]'
	$(BIN)/python -m bench.run

## lint: check the glossary only
lint: venv
	$(BIN)/munitag glossary lint glossary
	$(BIN)/munitag glossary fmt --check glossary

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis bench/.cache

# munitag: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test lint bench fuzz venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

venv: $(BIN)/python

## demo: create .venv, install munitag, tag the bundled sample text
demo: venv
	$(PIP) install -e .
	$(BIN)/munitag tag examples/sample.txt

## test: install the test extras (spaCy, Spark), run ruff and mypy, lint and format-check the glossary, run the test suite
## (the HTML view's browser test needs Debian's chromium, the Spark test needs Java; .ci/run installs both)
test: venv
	$(PIP) install -e '.[test,spacy,spark,spark-connect]'
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || echo "NOTE: chromium is not installed, so the HTML view's browser test will be SKIPPED (apt-get install chromium)"
	@command -v java >/dev/null 2>&1 || echo "NOTE: java is not installed, so the Spark test will FAIL (apt-get install default-jre-headless)"
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/mypy
	$(BIN)/munitag glossary lint glossary
	$(BIN)/munitag glossary fmt --check glossary
	$(BIN)/python -m pytest

## bench: install the benchmark extras and run bench/ (writes bench/results.json and bench/README.md; with valgrind, also the scan ratio in instructions)
bench: venv
	$(PIP) install -e '.[bench]'
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.scale
	@if command -v valgrind >/dev/null 2>&1; then $(BIN)/python -m bench.instructions; else echo "NOTE: valgrind is not installed, so the scan ratio in instructions is not measured (apt-get install valgrind)"; fi

## fuzz: install munitag and run fuzz/: hostile files through the CLI, then 10^6 generated texts through the
## library invariants (about 10 minutes on 2 cores); FUZZ_ARGS passes options, e.g. FUZZ_ARGS="--seed 7 --count 10000"
fuzz: venv
	$(PIP) install -e .
	$(BIN)/python -m fuzz $(FUZZ_ARGS)

## lint: ruff and mypy over the code (config in pyproject.toml), lint and format-check the glossary
lint: venv
	$(PIP) install -e '.[test]'
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/mypy
	$(BIN)/munitag glossary lint glossary
	$(BIN)/munitag glossary fmt --check glossary

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis bench/.cache

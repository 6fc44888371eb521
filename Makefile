# The README's two commands: `make demo` and `make test`. Everything runs in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SRC    := mbc tests migrations benchmarks

.PHONY: demo test install install-test lock lint translations-check translations-update browser-deps clean

# Pinned, hash-checked dependencies (pip-compile --generate-hashes); `make lock` refreshes both.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links --strip-extras

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/mbc translations compile

install-test: $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-test.lock
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/mbc translations compile
	bash scripts/install-chromium.sh

## demo: install, migrate an SQLite database under instance/, seed demo data, then run the
## scheduler (console SMS and email: see /dev/outbox) beside the web app on :5000
demo: install
	$(BIN)/mbc db upgrade
	$(BIN)/mbc seed-demo
	$(BIN)/mbc scheduler run & SCHEDULER=$$!; \
	  trap 'kill $$SCHEDULER 2>/dev/null' EXIT; \
	  $(BIN)/mbc run --host 127.0.0.1 --port 5000

## test: install what the tests need and run the whole suite on SQLite (and, side by side,
## every database test on PostgreSQL when MBC_TEST_DATABASE_URL is set)
test: install-test lint translations-check
	bash scripts/run-tests.sh

## lock: after changing dependencies in pyproject.toml, pin them again (latest allowed versions)
lock:
	$(PYTHON) -m venv .lock-tools
	.lock-tools/bin/pip install -q pip-tools
	.lock-tools/bin/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	.lock-tools/bin/pip-compile $(LOCK_FLAGS) --extra test -o requirements-test.lock pyproject.toml

lint:
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

translations-check:
	$(BIN)/mbc translations check

translations-update: $(BIN)/python
	$(BIN)/mbc translations update

clean:
	rm -rf $(VENV) .lock-tools .pytest_cache .ruff_cache

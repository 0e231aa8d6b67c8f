# Two commands do all the setup on a fresh machine:
#   make run   installs into .venv and serves the app on SQLite with demo data
#   make test  installs into .venv (with test tools and Chromium) and runs the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test browser lint bench evaluate messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Browser tests use Debian's Chromium, never a downloaded browser.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

run: install
	$(BIN)/cultuurmatch demo
	$(BIN)/cultuurmatch serve --host $(HOST) --port $(PORT)

test: install-test browser
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_import.py

# Match quality on tests/data/samples and tests/data/devset/{tuning,heldout} (missing ones skipped).
evaluate: install
	$(BIN)/python bench/evaluate.py "$(abspath $(BIN))/cultuurmatch"

# Collect every translatable text (gettext/_/_l in Python, _()/{% trans %} in templates).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o matcher/translations/messages.pot .

clean:
	rm -rf $(VENV) instance *.egg-info

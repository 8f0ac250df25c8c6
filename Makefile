# The two commands README promises: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3
# VENV can point elsewhere (VENV=/tmp/ci-venv make test) to try a fresh install without touching the shared .venv.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test venv dev-venv lint clean system-run system-test
# Targets run one after another even under -j: the system packages must be there before the venv is made.
.NOTPARALLEL:

# The Debian packages each command needs (python3-venv, Pango and fonts; for the tests also Chromium, qpdf, poppler…):
# installed as root, otherwise make stops and prints the apt-get command to run.
system-run:
	.ci/system-packages run

system-test:
	.ci/system-packages test

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

run: system-run venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --url http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py runserver_with_worker 127.0.0.1:$(PORT)

test: system-test dev-venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: dev-venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy parole_wizard packets

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

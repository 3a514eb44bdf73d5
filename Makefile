# Two commands for a fresh machine with Python 3.11+, make and git:
#   make run   - install, migrate, load the demo data once, serve http://127.0.0.1:8000/
#   make test  - install with the dev extras and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# The suite runs on two processes (pytest-xdist); PYTEST_ARGS replaces that, e.g. a file.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint format messages bench-seed clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Cité needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools

# The stamps make a second run skip the install unless pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# Both start the private PostgreSQL server when DATABASE_URL is unset (cluster/dev.py).
run: $(VENV)/.installed
	$(PY) -m cluster.dev run

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m cluster.dev test $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs gettext (apt-get install gettext); the compiled .mo files are committed.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages --locale fr --locale en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'tools/*'
	$(PY) manage.py makemessages --domain djangojs --locale fr --locale en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tools/*'
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'tools/*'

clean:
	rm -rf $(VENV) var media staticfiles

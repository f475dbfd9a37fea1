# Two commands for a fresh machine with Python 3.11 and make:
#   make run   set up, migrate, load demo data and serve on http://127.0.0.1:8000, with a task worker
#   make test  set up and run the whole test suite
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make run serves plain http on this machine only, so cookies cannot be Secure there;
# its demo users sign in without a second factor.
RUN_ENV := ANKOMST_SECRET_KEY_FILE=var/secret.key ANKOMST_SECURE_COOKIES=false ANKOMST_REQUIRE_2FA=false

.PHONY: setup run test messages lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	$(BIN)/pybabel -q compile -d src/ankomst/locale -D django

setup: $(STAMP) messages

var/secret.key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: setup var/secret.key
	$(RUN_ENV) $(BIN)/ankomst manage migrate --noinput -v0
	$(RUN_ENV) $(BIN)/ankomst manage collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/ankomst demo
	$(RUN_ENV) $(BIN)/ankomst serve --host $(HOST) --port $(PORT) --demo-hint --worker

# The suite runs in one process per core (up to four), each on its own test database; a
# module's tests stay in one process, so that a module's shared world is built once.
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist loadscope

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What CI checks besides the tests: lint, formatting, and no model change without a migration.
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	ANKOMST_TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# wsapp: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsapp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev migrate demo lint clean vendor vendor-check

run: $(VENV)/.run-installed
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.run-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Pinned installs; each stamp is redone when its lock file changes.
$(VENV)/.run-installed: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@ $(VENV)/.run-installed

migrate: $(VENV)/.run-installed
	$(FLASK) db upgrade

demo: $(VENV)/.run-installed
	$(FLASK) demo load

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check wsapp tests bench
	$(BIN)/ruff format --check wsapp tests bench

clean:
	rm -rf $(VENV) .pytest_cache


# Restore the pinned npm packages and copy them into static/vendor/.
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	sh static/vendor/update.sh

# Fail if the committed copy differs from the package pinned in package-lock.json.
vendor-check:
	npm ci --ignore-scripts --no-audit --no-fund
	cmp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	cmp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE

# wsapp: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsapp
HOST ?= 127.0.0.1
PORT ?= 5000
# make test: the suite in this many processes, whole test files to each (pytest-xdist)
TEST_WORKERS ?= 2

# The interface's translations: one catalog per language; the compiled .mo files are not in git.
TRANSLATIONS := wsapp/translations
CATALOGS := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
KEYWORDS := -k _l -k N_ -k N_plural:1,2 -k lazy_ngettext:1,2

.PHONY: run test install install-dev migrate demo lint clean vendor vendor-check node-dev translations dist

run: $(VENV)/.run-installed $(COMPILED)
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed node-dev $(COMPILED)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Extract every marked string (Python and templates, see babel.cfg) into messages.pot, merge it
# into each language's catalog, compile. New or changed strings show up untranslated or fuzzy
# in the .po files; tests/test_translations.py fails until they are translated.
translations: $(VENV)/.run-installed
	$(BIN)/pybabel -q extract -F babel.cfg $(KEYWORDS) --project wsapp --no-location --sort-output \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	@# the extraction time would make every branch's catalogs differ in their first lines
	sed -i '/^"POT-Creation-Date: /d' $(TRANSLATIONS)/messages.pot $(CATALOGS)
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

%.mo: %.po | $(VENV)/.run-installed
	$(BIN)/pybabel -q compile -i $< -o $@

# npm devDependencies used by tests (vnu-jar, the Nu Html Checker; needs Java). Without npm the
# checker's test is skipped with the reason shown (CI sets WSAPP_REQUIRE_VNU to make it fail).
node-dev:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node_modules/.package-lock.json; \
	else echo "npm not found: the Nu Html Checker test will be skipped"; fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

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

# The release, in dist/: a wheel and an sdist that carry the templates, static files, migrations
# and compiled catalogs (setup.py), and the lock file to install them with (docs/deploy.md).
dist: $(VENV)/.dev-installed
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	cp requirements.lock dist/

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check wsapp tests bench setup.py gunicorn.conf.py wsgi.py
	$(BIN)/ruff format --check wsapp tests bench setup.py gunicorn.conf.py wsgi.py
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) .pytest_cache build dist wsapp.egg-info


# Restore the pinned npm packages and copy them into static/vendor/.
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	sh static/vendor/update.sh

# Fail if the committed copy differs from the package pinned in package-lock.json.
vendor-check:
	npm ci --ignore-scripts --no-audit --no-fund
	cmp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	cmp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE

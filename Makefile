# ITA Portal. `make run` and `make test` are all a newcomer needs (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint setup messages makemessages deploy-check clean

run: $(VENV)/.runtime messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py runall

test: $(VENV)/.dev messages lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

setup: $(VENV)/.dev messages

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compiles locale/*/LC_MESSAGES/django.po to .mo with Babel (pure Python, so no
# gettext is needed to run the portal).
messages: $(VENV)/.runtime
	$(VENV)/bin/pybabel -q compile --domain django --directory locale

# Refreshes the .po files from the code and templates (needs GNU gettext).
makemessages: $(VENV)/.runtime
	$(PY) manage.py makemessages --locale th --locale en --no-obsolete --ignore '.venv/*' --ignore 'var/*'

# `check --deploy` with production-like settings.
deploy-check: $(VENV)/.runtime
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=ita.example.go.th $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var test-artifacts

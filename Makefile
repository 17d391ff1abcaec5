# Two commands on a fresh Debian machine with Python 3.11:
#   make run   — virtual environment, requirements, SQLite, demo data, serve on :8000
#   make test  — test requirements, the whole suite (PostgreSQL when DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 3

.PHONY: run test bench validator serve install install-test migrate demo messages compilemessages lint browser pango clean css

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compile translations with gettext's msgfmt, or with polib where gettext is missing.
compilemessages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=$(VENV) --verbosity 0; \
	else \
		$(PY) -m pip install --quiet polib==1.2.0 && \
		$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-2] + 'mo') for p in glob.glob('locale/*/LC_MESSAGES/*.po')]"; \
	fi

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

run: compilemessages pango demo
	@echo "Serving on http://$(HOST):$(PORT)/ — stop with Ctrl+C"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style serving: set DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL first.
serve: compilemessages migrate
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/gunicorn culturecenter.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

# Browser tests use Debian's Chromium; install it when we may (root), else they are skipped.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The briefings' PDF (WeasyPrint) needs Pango and a Chinese font from Debian; install them when we
# may (root), else the PDF link says why and the print page still works.
pango:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null; \
	fi

# The Nu HTML checker for the suite's HTML test: the vnu-jar package from npm, run with
# the machine's Java. Fetched once; without npm or Java the test says it is skipped.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu-jar-$(VNU_VERSION)/build/dist/vnu.jar
validator:
	@if [ ! -f $(VNU_JAR) ] && command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		mkdir -p .cache && cd .cache && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
		mkdir -p vnu-jar-$(VNU_VERSION) && tar -xzf vnu-jar-$(VNU_VERSION).tgz -C vnu-jar-$(VNU_VERSION) --strip-components 1 && \
		rm vnu-jar-$(VNU_VERSION).tgz || echo "Could not fetch vnu-jar from npm: the HTML check will be skipped."; \
	fi

test: $(VENV)/.installed-test compilemessages browser pango validator
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	VNU_JAR=$(VNU_JAR) $(VENV)/bin/pytest

# District-scale benchmark on its own database (`<name>_scale` on PostgreSQL when
# DATABASE_URL is set, else bench/scale.sqlite3); filled once, then measured. See README.
BENCH_ENV := DJANGO_SCALE_DATABASE=1 DJANGO_DB_STATEMENT_TIMEOUT=0 DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
	DJANGO_SECRET_KEY=bench-only-secret-key-never-used-anywhere-else-0123456789
bench: $(VENV)/.installed-test compilemessages browser
	@if ! command -v wrk >/dev/null 2>&1 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	$(BENCH_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(BENCH_ENV) $(PY) manage.py seed_scale
	$(BENCH_ENV) WORKERS=$(WORKERS) $(PY) manage.py bench
	$(BENCH_ENV) $(PY) manage.py bench_desk

# After changing visible strings: refresh the catalogues, then translate the new zh_Hans entries.
messages: $(VENV)/.installed-test
	rm -f locale/en/LC_MESSAGES/django.po  # English is the source language: rebuilt, never fuzzy-matched
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=$(VENV) --ignore=staticfiles --ignore=tests --ignore=media --no-obsolete
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po

# After adding Bootstrap classes to templates, JS or Python: rebuild the cut-down Bootstrap
# (npm's bootstrap and purgecss in .cache/cssbuild; commit static/vendor/bootstrap/bootstrap.min.css).
BOOTSTRAP_VERSION := 5.3.8
PURGECSS_VERSION := 7.0.2
css: $(VENV)/.installed
	npm install --prefix .cache/cssbuild --silent --no-save --no-audit --no-fund --no-package-lock \
		bootstrap@$(BOOTSTRAP_VERSION) purgecss@$(PURGECSS_VERSION)
	CRISPY_TEMPLATES=$$($(PY) -c "import crispy_bootstrap5, os; print(os.path.dirname(crispy_bootstrap5.__file__))") \
		node tools/purge-bootstrap.cjs

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 locale/*/LC_MESSAGES/*.mo

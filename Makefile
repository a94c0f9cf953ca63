# Two commands set up a fresh machine: `make run` and `make test`. The rest are conveniences.
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: run test setup lock demo bench load backup restore report-gallery check migrations-check clean

run: demo                      ## set up, seed the demo network, serve it with a task worker
	scripts/serve

test:                          ## set up and run every test (CI=true: real PostgreSQL and Chromium)
	scripts/test

setup:
	scripts/setup-venv
	scripts/system-packages libharfbuzz-subset0

lock:                          ## re-pin requirements.lock after changing the dependencies in pyproject.toml
	scripts/lock

demo: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_standards fixtures/standards/*.yaml
	$(PY) manage.py seed_demo

bench: setup
	$(PY) bench/run.py

load: setup                    ## 50 people using a 1,000-service network on gunicorn + PostgreSQL; figures as JSON
	scripts/load

backup: setup                  ## the database and every stored file into var/backups/ (BACKUP_DIR=... elsewhere)
	scripts/backup

restore: setup                 ## make restore BACKUP=var/backups/<name>: the database and files back, then checked
	scripts/restore "$(BACKUP)"

report-gallery: demo           ## every kind of PDF for the demo network, as page images in var/gallery/index.html
	scripts/system-packages poppler-utils
	$(PY) manage.py report_gallery --output var/gallery

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

migrations-check: check

clean:
	rm -rf .venv var/*.sqlite3 var/media var/static

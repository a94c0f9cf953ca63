"""`make load` in small: scripts/load with a few simulated people against a small network, in a
database of its own on the test's PostgreSQL server. Every persona's pages are asked for, no
request fails and every write the server accepted is in the database afterwards."""

import json
import os
import signal
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PERSONA_PAGES = {"home", "wizard step", "wizard save", "rating form", "rating save", "agree criterion", "agree save",
                 "questionnaire page save", "questionnaire send", "report", "portfolio"}


@pytest.fixture
def load_database():
    """A fresh database on the test's server, as a URL; dropped afterwards."""
    settings = connection.settings_dict
    name = f"load_smoke_{uuid.uuid4().hex[:8]}"
    server = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "user": settings["USER"],
              "password": settings["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield f"postgres://{settings['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_load(database_url, run_dir):
    """scripts/load's output; on any way out, the whole process group (gunicorn too) is ended."""
    env = {**os.environ, "LOAD_DATABASE_URL": database_url, "USERS": "6", "SPAWN_RATE": "6", "DURATION": "30s",
           "SERVICES": "20", "WORKERS": "2", "LOAD_DIR": str(run_dir)}
    for name in ("DJANGO_SETTINGS_MODULE", "ASSURANCE_ENV", "DJANGO_DEBUG"):
        env.pop(name, None)
    process = subprocess.Popen([str(ROOT / "scripts" / "load")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=900)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, output


@pytest.mark.postgres
def test_a_small_load_run_loses_nothing_and_fails_no_request(load_database, tmp_path):
    status, output = run_load(load_database, tmp_path / "run")

    figures = json.loads(output.strip().splitlines()[-1])
    assert status == 0, output[-3000:]
    assert figures["errors"] == 0
    assert figures["lost_writes"] == 0
    assert figures["writes"] > 0
    assert PERSONA_PAGES <= set(figures["pages"]), sorted(figures["pages"])
    assert all(page["count"] > 0 and page["p95_ms"] is not None for page in figures["pages"].values())

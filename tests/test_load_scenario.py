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
    """scripts/load's output; on any way out, the whole process group (gunicorn too) is ended. The run
    lasts until every person has asked for each of their pages once, however busy the machine."""
    env = {**os.environ, "LOAD_DATABASE_URL": database_url, "USERS": "6", "SPAWN_RATE": "6", "DURATION": "30s",
           "SERVICES": "20", "WORKERS": "2", "LOAD_DIR": str(run_dir), "LOAD_UNTIL_FIRST_LOOKS": "1"}
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


def test_each_persona_has_its_share_of_the_people_and_one_of_each_in_a_small_run():
    from bench.load.prepare import WEIGHTS, persona_counts

    assert persona_counts(50) == {"staff": 16, "reviewer": 10, "lead_reviewer": 6, "member": 10,
                                  "administrator": 4, "commissioner": 4}
    for users in (6, 7, 13, 51, 100):
        counts = persona_counts(users)
        assert sum(counts.values()) == users
        assert set(counts) == set(WEIGHTS) and min(counts.values()) >= 1


def test_a_page_form_is_read_as_a_browser_sends_it():
    from bench.load.html_forms import form_with

    page = """
    <form method="post" action="/accounts/sign-out/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="hidden" name="BEL-c7_version" value="3">
      <input type="radio" name="BEL-c7_level" value="12"><input type="radio" name="BEL-c7_level" value="13" checked>
      <input type="checkbox" name="BEL-c7_evidence" value="4" checked><input type="checkbox" name="BEL-c7_evidence" value="5">
      <textarea name="BEL-c7_narrative">
We meet &amp; talk</textarea>
      <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
      <input type="file" name="upload"><button type="submit" name="save_and_exit">Save</button>
    </form>"""

    form = form_with(page, lambda names: "BEL-c7_narrative" in names)

    assert form.action == ""
    assert form.choices["BEL-c7_level"] == ["12", "13"]
    assert form.buttons == ["save_and_exit"]
    assert sorted(form.data({"BEL-c7_narrative": "new"})) == [
        ("BEL-c7_evidence", "4"), ("BEL-c7_level", "13"), ("BEL-c7_narrative", "new"), ("BEL-c7_version", "3"),
        ("csrfmiddlewaretoken", "t"), ("kind", "b"),
    ]
    assert dict(form.fields)["BEL-c7_narrative"] == "We meet & talk"
    assert "BEL-c7_version" in form_with(page, lambda names: "csrfmiddlewaretoken" in names).names()  # not signing out

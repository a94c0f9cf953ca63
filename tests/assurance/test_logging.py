"""Every response carries a request id (the proxy's, when it sends a sensible one), and every log line
written while the request is handled carries the same id: one JSON object a line in production,
readable text locally."""

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assurance.request_id import HEADER, RequestIdFilter, current_request_id
from tests.assurance.test_settings import PROJECT_ROOT, PYTHON, import_settings, production_env

MADE_HERE = re.compile(r"^[0-9a-f]{32}$")
MISSING_PAGE = "/no-such-page-for-the-log-test/"


@pytest.mark.django_db
def test_every_response_carries_a_request_id_of_its_own(client):
    first = client.get("/accounts/sign-in/")
    second = client.get(MISSING_PAGE)

    assert MADE_HERE.match(first[HEADER])
    assert MADE_HERE.match(second[HEADER])
    assert first[HEADER] != second[HEADER]


@pytest.mark.django_db
@pytest.mark.parametrize("offered", ["0f8e2c4a9b7d4e1fa3c5b6d7e8f90a1b", "edge-01.req_2026-12-02T23", "A" * 128])
def test_a_sensible_request_id_from_the_proxy_is_kept(client, offered):
    response = client.get("/accounts/sign-in/", headers={HEADER: offered})

    assert response[HEADER] == offered


@pytest.mark.django_db
@pytest.mark.parametrize(
    "junk",
    [
        "A" * 129,
        "has spaces in it",
        "abcdefgh\nX-Injected: yes",
        "abcdefgh\r\nSet-Cookie: x=1",
        "short",
        "quote\"and<angle>",
        "ünïcödé-request-id",
        "",
    ],
)
def test_a_junk_request_id_is_replaced_by_one_made_here(client, junk):
    response = client.get("/accounts/sign-in/", headers={HEADER: junk})

    assert MADE_HERE.match(response[HEADER]), response[HEADER]


def test_outside_a_request_log_records_have_an_empty_request_id():
    record = logging.LogRecord("reviews.tasks", logging.INFO, __file__, 1, "a task ran", None, None)

    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "" == current_request_id()


def test_a_record_written_after_the_middleware_finished_takes_the_id_of_the_request_it_names(rf):
    """Django logs an error answer a view returned after the middleware chain has run."""
    request = rf.get("/health/")
    request.id = "answered-0003"
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable", None, None)
    record.request = request

    RequestIdFilter().filter(record)

    assert record.request_id == "answered-0003"


def ask_for_pages(refused_id, health_id):
    """Run in a fresh interpreter with the production settings (the tests below): asks for the health
    page with a method it refuses, and then properly, when its checks fail on a database without
    tables. (Neither answer needs collected static files, as a 404 page would.)"""
    import django

    django.setup()
    from django.test import Client

    client = Client(headers={"host": "assurance.example.org"})
    assert client.head("/health/", secure=True, headers={HEADER: refused_id}).status_code == 405
    assert client.get("/health/", secure=True, headers={HEADER: health_id}).status_code == 503


def run_pages(env):
    # As after collectstatic: WhiteNoise warns (on stderr, outside logging) when the folder is missing.
    (Path(env["ASSURANCE_VAR_DIR"]) / "static").mkdir(parents=True)
    env = {**env, "DJANGO_SETTINGS_MODULE": "assurance.settings"}
    script = (
        "from tests.assurance.test_logging import ask_for_pages; "
        "ask_for_pages('refused-head-0001', 'health-check-0002')"
    )
    result = subprocess.run(
        [str(PYTHON if PYTHON.exists() else sys.executable), "-c", script],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_production_logs_are_one_json_object_a_line_with_the_request_id(tmp_path):
    stderr = run_pages(production_env(tmp_path))

    records = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert all(isinstance(record, dict) for record in records)
    answered = [record for record in records if record.get("logger") == "django.request"]
    assert [(record["level"], record["message"], record["request_id"]) for record in answered] == [
        ("WARNING", "Method Not Allowed (HEAD): /health/", "refused-head-0001"),
        ("ERROR", "Service Unavailable: /health/", "health-check-0002"),
    ]
    assert all(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", record["time"]) for record in records)
    failed = [record for record in records if record.get("logger") == "assurance.health"]
    assert failed, stderr
    assert all(record["level"] == "ERROR" and record["request_id"] == "health-check-0002" for record in failed)
    # The traceback of why a check failed stays inside its record, not on lines of its own.
    assert any("Traceback" in record.get("exc_info", "") for record in failed)


def test_text_logs_carry_the_request_id_too(tmp_path):
    stderr = run_pages(production_env(tmp_path, ASSURANCE_LOG_FORMAT="text"))

    refused = [line for line in stderr.splitlines() if "Method Not Allowed (HEAD): /health/" in line]
    assert len(refused) == 1, stderr
    assert " WARNING django.request [refused-head-0001] " in refused[0]
    assert any(" ERROR assurance.health [health-check-0002] " in line for line in stderr.splitlines())


@pytest.mark.parametrize("value", ["xml", "JSON ", "syslog"])
def test_an_unknown_log_format_is_refused_at_start(tmp_path, value):
    result = import_settings(production_env(tmp_path, ASSURANCE_LOG_FORMAT=value))

    assert result.returncode != 0
    assert "ImproperlyConfigured: ASSURANCE_LOG_FORMAT must be 'json' or 'text'." in result.stderr

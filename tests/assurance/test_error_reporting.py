"""Errors go to Sentry (or anything speaking its protocol) when SENTRY_DSN is set, and nowhere when it
is not; what is sent names no person: no username, email, cookie, session, token or address."""

import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.assurance.test_settings import PROJECT_ROOT, PYTHON, production_env

FAILURE = "deliberate failure for the error-reporting test"
REQUEST_ID = "sentry-test-0001"
# Personal data the failing request carries; none of it may reach the error report.
USERNAME = "pii-marker-username"
EMAIL = "pii-marker@example.org"
COOKIE_VALUE = "pii-marker-cookie-value"
TOKEN = "pii-marker-token"
ADDRESS = "203.0.113.77"


def fail_in_a_view_while_signed_in():
    """Run in a fresh interpreter with the production settings: a signed-in person's request meets a
    view that raises, through the WSGI application as gunicorn calls it (Django's test client goes
    round the part Sentry watches). Prints the session key the request carried."""
    import django

    django.setup()
    import sentry_sdk
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponseServerError
    from django.test import Client, RequestFactory
    from django.urls import path

    from assurance import urls as project_urls

    def broken(request):
        raise RuntimeError(FAILURE)

    project_urls.urlpatterns.append(path("deliberately-broken/", broken))
    # The real 500 page needs collected static files; what is sent to Sentry does not depend on it.
    project_urls.handler500 = lambda request: HttpResponseServerError("failed")
    call_command("migrate", verbosity=0)
    person = get_user_model().objects.create_user(username=USERNAME, email=EMAIL, password="a long password 1")
    signed_in = Client()
    signed_in.force_login(person)
    session_key = signed_in.cookies["sessionid"].value
    headers = {"host": "assurance.example.org", "X-Request-ID": REQUEST_ID, "Authorization": f"Bearer {TOKEN}",
               "X-Forwarded-For": ADDRESS, "Cookie": f"sessionid={session_key}; preference={COOKIE_VALUE}"}
    environ = RequestFactory().get("/deliberately-broken/?page=2", secure=True, headers=headers).environ
    answered = []
    b"".join(get_wsgi_application()(environ, lambda status, response_headers: answered.append(status)))
    assert answered == ["500 Internal Server Error"], answered
    sentry_sdk.flush(timeout=30)
    print(session_key)


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the name http.server calls)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def envelope_items(body):
    """The (item header, payload) pairs of a Sentry envelope: a header line, then per item a header
    line and a payload of the length it gives (or up to the next newline)."""
    _, _, rest = body.partition(b"\n")
    items = []
    while rest.strip():
        header_line, _, rest = rest.partition(b"\n")
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1:]
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((header, payload))
    return items


def python():
    return str(PYTHON if PYTHON.exists() else sys.executable)


def run(env, script):
    env = {**env, "DJANGO_SETTINGS_MODULE": "assurance.settings"}
    return subprocess.run([python(), "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=240)


def test_an_error_in_a_view_reaches_sentry_without_personal_data(tmp_path, sentry_server):
    port = sentry_server.server_address[1]
    env = production_env(tmp_path, SENTRY_DSN=f"http://public@127.0.0.1:{port}/1", SENTRY_ENVIRONMENT="staging")

    result = run(env, "from tests.assurance.test_error_reporting import fail_in_a_view_while_signed_in as f; f()")

    assert result.returncode == 0, result.stderr
    session_key = result.stdout.strip().splitlines()[-1]
    events = [
        (path, json.loads(payload))
        for path, body in sentry_server.received
        for header, payload in envelope_items(body)
        if header["type"] == "event"
    ]
    assert [path for path, _ in events] == ["/api/1/envelope/"]
    event = events[0][1]
    assert [(error["type"], error["value"]) for error in event["exception"]["values"]] == [("RuntimeError", FAILURE)]
    assert event["environment"] == "staging"
    assert event["tags"]["request_id"] == REQUEST_ID
    assert event["request"]["url"].endswith("/deliberately-broken/")
    assert not {"email", "username", "ip_address", "id"} & set(event.get("user", {}))
    sent_headers = {name.lower(): value for name, value in event["request"]["headers"].items()}
    for withheld in ("cookie", "authorization", "x-forwarded-for"):
        assert sent_headers.get(withheld, "") in {"", "[Filtered]"}, event["request"]
    assert "cookies" not in event["request"]
    assert "REMOTE_ADDR" not in event["request"].get("env", {})
    everything_sent = b"".join(body for _, body in sentry_server.received).decode()
    for personal in (USERNAME, EMAIL, COOKIE_VALUE, TOKEN, ADDRESS, session_key):
        assert personal not in everything_sent


def test_sentry_is_set_up_only_when_sentry_dsn_is_set(tmp_path, sentry_server):
    script = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.is_initialized())"
    port = sentry_server.server_address[1]

    without = run(production_env(tmp_path), script)
    with_dsn = run(production_env(tmp_path, SENTRY_DSN=f"http://public@127.0.0.1:{port}/1"), script)

    assert without.returncode == 0, without.stderr
    assert without.stdout.strip() == "False"
    assert with_dsn.returncode == 0, with_dsn.stderr
    assert with_dsn.stdout.strip() == "True"

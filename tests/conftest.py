"""Shared fixtures: personas (one person per role plus an outsider), a signed-in client, a media
folder of the test's own, and the rules for tests that need PostgreSQL, Chromium or the S3-compatible
test server: in CI they must run; elsewhere they skip with a reason."""

import os
import shutil

import pytest
from django.db import connection
from django.utils import timezone

from tests.support.personas import make_personas
from tests.support.watchdog import keep_terminal, watch

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _missing(reason):
    if IN_CI:
        pytest.fail(f"{reason}, and CI must run every test", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres"):
        request.getfixturevalue("db")
        if connection.vendor != "postgresql":
            _missing("needs PostgreSQL (run `make test`, which starts one when the server is installed)")
    if request.node.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        _missing("needs Chromium (CI=true make test installs it)")
    if request.node.get_closest_marker("s3") and not os.environ.get("ASSURANCE_TEST_S3_ENDPOINT_URL"):
        _missing("needs the S3-compatible test server (run `make test`, or pytest under scripts/with-s3)")


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Lets PostgreSQL drop the test database at the end: a request thread of the live server
    can still hold a connection then, and DROP DATABASE refuses while one is open."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def personas(db):
    """Kestrel Wing and one person per role around it (tests.support.personas.Personas)."""
    return make_personas()


@pytest.fixture
def client_for(client):
    """client_for(user) signs that person in and returns the test client."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def today():
    """The local date when the test starts. A module's constant would be read when the tests are
    collected, which may be the day before the test runs."""
    return timezone.localdate()


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (evidence, reports, demo files) go to a folder of the test's own, not to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pytest_configure(config):
    keep_terminal()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Names a test that hangs, and where its threads wait (tests.support.watchdog)."""
    timer = watch(item.nodeid)
    try:
        return (yield)
    finally:
        timer.cancel()

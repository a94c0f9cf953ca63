"""Shared fixtures: personas (one person per role plus an outsider), and the rules for tests
that need PostgreSQL or Chromium: in CI they must run; elsewhere they skip with a reason."""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.db import connection

from assurance.models import RoleKind
from tests.factories import PASSWORD, RoleFactory, ServiceFactory, UserFactory

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


@dataclass
class Personas:
    """One person per role around `home` (the service under review), plus `other`, a service
    none of them belongs to, and an outsider with no role at all."""

    home: object
    other: object
    admin: object
    lead: object
    staff: object
    member: object
    reviewer: object
    lived_experience_reviewer: object
    lead_reviewer: object
    commissioner: object
    outsider: object

    password = PASSWORD

    def all(self):
        return {
            name: getattr(self, name)
            for name in ("admin", "lead", "staff", "member", "reviewer", "lived_experience_reviewer",
                         "lead_reviewer", "commissioner", "outsider")
        }


def _person(username, kind=None, service=None):
    user = UserFactory(username=username)
    if kind:
        RoleFactory(user=user, kind=kind, service=service)
    return user


@pytest.fixture
def personas(db):
    home = ServiceFactory(name="Kestrel Wing")
    other = ServiceFactory(name="Elm House")
    reviewers_home = ServiceFactory(name="Willow Ward")
    return Personas(
        home=home,
        other=other,
        admin=_person("admin", RoleKind.NETWORK_ADMIN),
        lead=_person("lead", RoleKind.SERVICE_LEAD, home),
        staff=_person("staff", RoleKind.STAFF, home),
        member=_person("member", RoleKind.MEMBER, home),
        reviewer=_person("reviewer", RoleKind.PEER_REVIEWER, reviewers_home),
        lived_experience_reviewer=_person("lived", RoleKind.LIVED_EXPERIENCE_REVIEWER, reviewers_home),
        lead_reviewer=_person("leadreviewer", RoleKind.LEAD_REVIEWER, reviewers_home),
        commissioner=_person("commissioner", RoleKind.COMMISSIONER, home),
        outsider=_person("outsider"),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) signs that person in and returns the test client."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in

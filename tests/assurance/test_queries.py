"""Pages run a fixed number of queries however big the network grows: 1 service or 30 costs the same."""

import pytest
from auditlog.context import set_actor
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assurance.models import RoleKind, Service
from reviews.models import CycleState
from tests.factories import CycleFactory, EditionFactory, RoleFactory, ServiceFactory, UserFactory
from tests.support.pages import text
from tests.support.personas import PERSONA_NAMES

# A generous ceiling, so that a page that starts running a query per row fails even at small sizes.
MOST_QUERIES = 15
# The home page asks every stage of a review what waits for the person (a query or two each), and a
# network administrator's also counts the network, its reviewers and names its recent changes.
HOME_MOST_QUERIES = 25

ROLES = {
    "lead": RoleKind.SERVICE_LEAD,
    "staff": RoleKind.STAFF,
    "member": RoleKind.MEMBER,
    "commissioner": RoleKind.COMMISSIONER,
    "reviewer": RoleKind.PEER_REVIEWER,
    "lived_experience_reviewer": RoleKind.LIVED_EXPERIENCE_REVIEWER,
    "lead_reviewer": RoleKind.LEAD_REVIEWER,
}


def grow(personas, count):
    """Adds `count` services, each with a review cycle against a new edition and a role in it for
    every persona; the network administrator makes the changes, so each is in the audit log."""
    services = []
    with set_actor(personas.admin):
        for _ in range(count):
            service = ServiceFactory()
            CycleFactory(service=service, edition=EditionFactory(), opened_by=personas.admin)
            for persona, kind in ROLES.items():
                RoleFactory(user=getattr(personas, persona), kind=kind, service=service)
            services.append(service)
    return services


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def assert_bounded(client, url, make_more, most=MOST_QUERIES):
    """Counts the page's queries, grows the data with `make_more()`, and counts again."""
    client.get(url)  # the first request fills per-process caches (content types, …)
    small, _response = queries_for(client, url)
    more = make_more()
    large, response = queries_for(client, url)
    assert small == large, f"{url}: {small} queries with little data, {large} with more"
    assert large <= most, f"{url}: {large} queries"
    return response, more


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_home_queries_same_for_1_and_30_services(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    grow(personas, 1)

    response, services = assert_bounded(client, "/", lambda: grow(personas, 29), most=HOME_MOST_QUERIES)

    page = text(response)
    if persona == "admin":
        assert f"{Service.objects.count()} active services" in page
    elif persona != "outsider":
        assert services[-1].name in page


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_service_list_queries_same_for_1_and_30_services(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    grow(personas, 1)

    response, services = assert_bounded(client, "/services/", lambda: grow(personas, 29))

    if persona in {"admin", "lead", "staff", "member", "commissioner"}:
        assert services[-1].name in text(response)


def test_service_detail_queries_same_for_1_and_30_cycles_and_people(personas, client_for):
    client = client_for(personas.admin)
    service = personas.home

    def add_cycles_and_people(count):
        for _ in range(count):
            # A service has one cycle under way; the others are its closed history.
            CycleFactory(service=service, edition=EditionFactory(), state=CycleState.CLOSED)
            RoleFactory(user=UserFactory(), kind=RoleKind.STAFF, service=service)

    add_cycles_and_people(1)

    response, _nothing = assert_bounded(client, service.get_absolute_url(), lambda: add_cycles_and_people(29))

    assert text(response).count("Closed") == 30


def test_audit_log_queries_same_for_few_and_many_entries(personas, client_for):
    client = client_for(personas.admin)
    grow(personas, 1)

    response, services = assert_bounded(client, "/audit/", lambda: grow(personas, 29))

    page = text(response)
    assert services[-1].name in page
    assert "Page 1 of" in page


def test_audit_log_filtered_queries_same_for_few_and_many_entries(personas, client_for):
    client = client_for(personas.admin)
    grow(personas, 1)

    assert_bounded(client, "/audit/?actor=admin&q=a", lambda: grow(personas, 29))

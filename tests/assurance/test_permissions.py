"""Who reaches what: each role gets the pages it may see and a 404 for the rest."""

import pytest

from assurance.models import RoleKind
from tests.factories import RoleFactory, ServiceFactory
from tests.support.pages import text
from tests.support.personas import PERSONA_NAMES, REVIEWER_NAMES

EVERYONE = set(PERSONA_NAMES)
ADMIN_ONLY = {"admin"}
# People who work in, use or commission the home service (plus the network administrator).
HOME_SERVICE_PEOPLE = {"admin", "lead", "staff", "member", "commissioner"}

PAGES = {
    "home": (lambda p: "/", EVERYONE),
    "service list": (lambda p: "/services/", EVERYONE),
    "their service": (lambda p: p.home.get_absolute_url(), HOME_SERVICE_PEOPLE),
    "another service": (lambda p: p.other.get_absolute_url(), ADMIN_ONLY),
    "audit log": (lambda p: "/audit/", ADMIN_ONLY),
    "standards upload": (lambda p: "/standards/load/", ADMIN_ONLY),
    "standards index": (lambda p: "/standards/", EVERYONE),
}

CASES = [
    pytest.param(persona, page, 200 if persona in allowed else 404, id=f"{persona}-{page}")
    for page, (_url, allowed) in PAGES.items()
    for persona in PERSONA_NAMES
]


@pytest.mark.parametrize(("persona", "page", "expected"), CASES)
def test_page_access_by_role(personas, client_for, persona, page, expected):
    url = PAGES[page][0](personas)

    response = client_for(getattr(personas, persona)).get(url)

    assert response.status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_page_access_anonymous_redirected_to_sign_in(personas, client, page):
    url = PAGES[page][0](personas)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"


def test_page_not_found_gives_no_hint_of_what_exists(personas, client_for):
    client = client_for(personas.lead)

    hidden = client.get(personas.other.get_absolute_url())
    missing = client.get("/services/no-such-service/")

    assert hidden.status_code == missing.status_code == 404
    assert text(hidden) == text(missing)


@pytest.mark.parametrize(
    ("persona", "listed"),
    [
        ("admin", {"Kestrel Wing", "Elm House", "Willow Ward"}),
        ("lead", {"Kestrel Wing"}),
        ("staff", {"Kestrel Wing"}),
        ("member", {"Kestrel Wing"}),
        ("commissioner", {"Kestrel Wing"}),
        ("reviewer", set()),
        ("lived_experience_reviewer", set()),
        ("lead_reviewer", set()),
        ("outsider", set()),
    ],
)
def test_service_list_shows_only_services_person_works_in_uses_or_commissions(
    personas, client_for, persona, listed
):
    response = client_for(getattr(personas, persona)).get("/services/")

    page = text(response)
    for name in {"Kestrel Wing", "Elm House", "Willow Ward"}:
        assert (name in page) == (name in listed), name
    assert f"{len(listed)} service" in page
    if not listed:
        assert "No services to show" in page


def test_service_list_commissioner_sees_every_service_they_commission(personas, client_for):
    second = ServiceFactory(name="Cedar Unit")
    RoleFactory(user=personas.commissioner, kind=RoleKind.COMMISSIONER, service=second)

    page = text(client_for(personas.commissioner).get("/services/"))

    assert "Kestrel Wing" in page and "Cedar Unit" in page
    assert "Elm House" not in page
    assert "2 services" in page


def test_service_list_filter_by_region_keeps_to_visible_services(personas, client_for):
    region = personas.other.region.slug

    page = text(client_for(personas.lead).get("/services/", {"region": region}))

    assert "Elm House" not in page
    assert "0 services" in page


@pytest.mark.parametrize(
    ("persona", "sees_people"),
    [("admin", True), ("lead", True), ("staff", True), ("member", False), ("commissioner", False)],
)
def test_service_detail_people_and_roles_shown_to_admin_lead_and_staff_only(
    personas, client_for, persona, sees_people
):
    response = client_for(getattr(personas, persona)).get(personas.home.get_absolute_url())

    page = text(response)
    assert response.status_code == 200
    assert "Kestrel Wing" in page
    assert ("People and roles" in page) == sees_people
    for person in (personas.lead, personas.member, personas.commissioner):
        # Everyone on the page sees their own name in the header; look for the others.
        if person != getattr(personas, persona):
            assert (person.get_full_name() in page) == sees_people, person.username


@pytest.mark.parametrize("persona", REVIEWER_NAMES + ["outsider"])
def test_standards_upload_link_hidden_from_non_admins(personas, client_for, persona):
    page = text(client_for(getattr(personas, persona)).get("/standards/"))

    assert "Load a standards file" not in page


def test_audit_log_link_shown_to_admin_only(personas, client_for):
    admin_page = text(client_for(personas.admin).get("/"))
    lead_page = text(client_for(personas.lead).get("/"))

    assert "Audit log" in admin_page
    assert "Audit log" not in lead_page


@pytest.mark.parametrize("persona", sorted(EVERYONE - ADMIN_ONLY))
def test_django_admin_refused_to_everyone_but_network_admin(personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get(f"/admin/assurance/service/{personas.home.pk}/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_django_admin_open_to_network_admin_by_role(personas, client_for):
    assert not personas.admin.is_staff and not personas.admin.is_superuser

    response = client_for(personas.admin).get(f"/admin/assurance/service/{personas.home.pk}/change/")

    assert response.status_code == 200
    assert "Kestrel Wing" in text(response)


def test_django_admin_index_lists_network_records_for_network_admin(personas, client_for):
    page = text(client_for(personas.admin).get("/admin/"))

    for section in ("Services", "Roles", "Regions", "Editions", "Review cycles"):
        assert section in page

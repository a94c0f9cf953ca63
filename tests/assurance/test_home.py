"""The home page shows each person what they need next, by role."""

import pytest

from assurance.models import RoleKind
from reviews.models import Cycle, CycleState
from tests.factories import CycleFactory, EditionFactory, RegionFactory, RoleFactory, SectorFactory, ServiceFactory
from tests.support.pages import section, text
from tests.support.personas import PERSONA_NAMES, REVIEWER_NAMES

SECTIONS = {
    "network": "network-heading",
    "work": "work-heading",
    "community": "member-heading",
    "visits": "visits-heading",
    "commissioned": "commissioned-heading",
}
EXPECTED_SECTIONS = {
    "admin": {"network"},
    "lead": {"work"},
    "staff": {"work"},
    "member": {"community"},
    "reviewer": {"visits"},
    "lived_experience_reviewer": {"visits"},
    "lead_reviewer": {"visits"},
    "commissioner": {"commissioned"},
    "outsider": set(),
}


@pytest.fixture
def cycle(personas):
    edition = EditionFactory(framework__name="Relational Practice Standards", version="2026.1")
    return CycleFactory(service=personas.home, edition=edition)


def home_of(client_for, user):
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_home_shows_only_sections_for_persona_role(personas, client_for, persona):
    response = home_of(client_for, getattr(personas, persona))

    shown = {name for name, heading in SECTIONS.items() if section(response, heading)}
    assert shown == EXPECTED_SECTIONS[persona]


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_home_lead_and_staff_see_their_services_with_cycles(personas, client_for, cycle, persona):
    response = home_of(client_for, getattr(personas, persona))

    work = section(response, "work-heading")
    assert "Your services" in work
    assert "Kestrel Wing" in work
    assert "Relational Practice Standards 2026.1" in work
    assert "Self-assessment open" in work
    assert "Elm House" not in text(response)


def test_home_lead_without_cycle_is_told_there_is_none(personas, client_for):
    response = home_of(client_for, personas.lead)

    assert "No review cycle yet" in section(response, "work-heading")


def test_home_lead_of_two_services_sees_both(personas, client_for, cycle):
    second = ServiceFactory(name="Cedar Unit")
    RoleFactory(user=personas.lead, kind=RoleKind.SERVICE_LEAD, service=second)

    work = section(home_of(client_for, personas.lead), "work-heading")

    assert "Kestrel Wing" in work and "Cedar Unit" in work


def test_home_member_sees_their_community(personas, client_for, cycle):
    response = home_of(client_for, personas.member)

    community = section(response, "member-heading")
    assert "Your community" in community
    assert "Kestrel Wing" in community
    assert "Self-assessment open" in community
    assert "Answer the questionnaire" in community and "anonymous" in community


@pytest.mark.parametrize("persona", REVIEWER_NAMES)
def test_home_reviewer_sees_visits_and_home_service(personas, client_for, persona):
    response = home_of(client_for, getattr(personas, persona))

    visits = section(response, "visits-heading")
    assert "Your peer-review visits" in visits
    assert "You have no visits yet" in visits
    assert "home service Willow Ward (you never review it)" in visits


def test_home_reviewer_sees_own_kind_of_reviewer_role(personas, client_for):
    visits = section(home_of(client_for, personas.lived_experience_reviewer), "visits-heading")

    assert "Lived-experience reviewer" in visits


def test_home_commissioner_sees_services_they_commission_with_latest_cycle(personas, client_for, cycle):
    unreviewed = ServiceFactory(name="Cedar Unit")
    RoleFactory(user=personas.commissioner, kind=RoleKind.COMMISSIONER, service=unreviewed)

    commissioned = section(home_of(client_for, personas.commissioner), "commissioned-heading")

    assert "Services you commission" in commissioned
    assert "Kestrel Wing" in commissioned and "Self-assessment open" in commissioned
    assert "Cedar Unit" in commissioned and "None yet" in commissioned
    assert "Elm House" not in commissioned


def test_home_admin_sees_network_overview(personas, client_for):
    north = RegionFactory(name="North West")
    ServiceFactory(name="Cedar Unit", region=north, sector=SectorFactory(name="Prison wing"))
    ServiceFactory(name="Birch Wing", region=north, sector=SectorFactory(name="Prison wing"))
    edition = EditionFactory()
    CycleFactory(service=personas.home, edition=edition)
    CycleFactory(service=personas.other, edition=edition, state=CycleState.VISIT)
    CycleFactory(service=ServiceFactory(name="Alder Wing"), edition=edition, state=CycleState.VISIT)

    network = section(home_of(client_for, personas.admin), "network-heading")

    assert "6 active services" in network
    assert "North West: 2" in network
    assert "Prison wing: 2" in network
    assert f"{personas.home.region.name}: 1" in network
    assert "Self-assessment open: 1" in network
    assert "Peer-review visit: 2" in network
    assert "Closed: 0" in network
    assert "Recent changes" in network
    assert "created review cycle “Alder Wing" in network
    assert "The full audit log" in network


def test_home_admin_recent_changes_name_who_made_them(personas, client_for):
    client = client_for(personas.admin)
    service = personas.home
    client.post(
        f"/admin/assurance/region/{service.region.pk}/change/",
        {"name": "North East", "slug": service.region.slug},
    )

    network = section(client.get("/"), "network-heading")

    assert f"{personas.admin} changed region “North East”" in network


def test_home_outsider_told_they_have_no_role_yet(personas, client_for):
    page = text(home_of(client_for, personas.outsider))

    assert "You do not have a role yet" in page
    assert "Read the standards" in page


@pytest.mark.parametrize("persona", sorted(set(PERSONA_NAMES) - {"outsider"}))
def test_home_person_with_role_not_told_they_have_none(personas, client_for, persona):
    page = text(home_of(client_for, getattr(personas, persona)))

    assert "You do not have a role yet" not in page


def cycles_read_by_home(client_for, user, monkeypatch):
    """How many review cycles the home page reads from the database for `user`."""
    read = []
    from_db = Cycle.from_db.__func__
    monkeypatch.setattr(Cycle, "from_db", classmethod(
        lambda model, *args, **kwargs: read.append(1) or from_db(model, *args, **kwargs)))
    home_of(client_for, user)
    monkeypatch.undo()
    return len(read)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_home_reads_no_more_cycles_when_other_services_have_many(personas, client_for, cycle, persona, monkeypatch):
    user = getattr(personas, persona)
    before = cycles_read_by_home(client_for, user, monkeypatch)

    for number in range(12):
        CycleFactory(service=ServiceFactory(name=f"Unrelated service {number}"), edition=cycle.edition)

    after = cycles_read_by_home(client_for, user, monkeypatch)
    assert after == before, (before, after)

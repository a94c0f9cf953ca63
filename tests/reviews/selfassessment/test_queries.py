"""The self-assessment pages run a fixed number of queries, however many services, cycles, answers
and evidence the network holds and however big the edition is."""

import pytest

from assurance.models import RoleKind
from reviews.models import Cycle, CycleState
from reviews.selfassessment.queries import criteria_for
from tests.factories import CycleFactory, EvidenceFactory, RoleFactory, SelfRatingFactory, ServiceFactory, build_edition
from tests.support.pages import counted, text
from tests.support.personas import browser_for
from tests.support.reviews import MEMBERS, STAFF, home_cycle, put_on_review_team
from tests.support.wizard import answers_url, hub_url, step_url

# A small ceiling, so that a page that starts running a query per value, criterion, answer or
# evidence item fails even at small sizes.
MOST_QUERIES = 20

# page: (who looks at it, its address, whether the self-assessment is submitted by then)
PAGES = {
    "staff step": ("lead", lambda cycle: step_url(cycle, STAFF, "V2"), False),
    "staff check": ("lead", lambda cycle: step_url(cycle, STAFF, "check"), False),
    "staff hub": ("staff", lambda cycle: hub_url(cycle, STAFF), False),
    "staff answers while open": ("lead", lambda cycle: answers_url(cycle, STAFF), False),
    "cycle page while open": ("lead", lambda cycle: cycle.get_absolute_url(), False),
    "staff answers for reviewer": ("reviewer", lambda cycle: answers_url(cycle, STAFF), True),
    "staff hub for admin": ("admin", lambda cycle: hub_url(cycle, STAFF), True),
    "cycle page for admin": ("admin", lambda cycle: cycle.get_absolute_url(), True),
    "cycle page for reviewer": ("reviewer", lambda cycle: cycle.get_absolute_url(), True),
}


def fill(cycle, personas, submitted=False):
    """Evidence (the staff's and the members'), and staff answers of every kind from two people:
    top level with evidence, a middle level, Not applicable with a reason, and some left unanswered."""
    staff_evidence = [EvidenceFactory(cycle=cycle, added_by=personas.staff) for _ in range(3)]
    EvidenceFactory(cycle=cycle, added_by=personas.member, added_as=MEMBERS)
    levels = list(cycle.edition.levels.order_by("value"))
    for perspective, people, evidence in [(STAFF, (personas.lead, personas.staff), staff_evidence)]:
        for i, criterion in enumerate(criteria_for(cycle.edition, perspective)):
            kind = i % 4
            if kind == 3:
                continue
            SelfRatingFactory(
                cycle=cycle, criterion=criterion, perspective=perspective, updated_by=people[i % 2],
                level=levels[-1] if kind == 0 else (levels[1] if kind == 1 else None),
                not_applicable=kind == 2, not_applicable_reason="Does not apply here." if kind == 2 else "",
                evidence=evidence if kind == 0 else [],
            )
    put_on_review_team(cycle, personas.reviewer, personas.lived_experience_reviewer)
    if submitted:
        Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.SELF_ASSESSMENT_SUBMITTED)
        cycle.refresh_from_db()
    return cycle


def grow(personas, count, submitted):
    """Adds services, each with the personas in it (or on its review team) and a cycle of its
    own, answered and with evidence."""
    for _ in range(count):
        service = ServiceFactory()
        for persona, kind in [("lead", RoleKind.SERVICE_LEAD), ("staff", RoleKind.STAFF),
                              ("member", RoleKind.MEMBER), ("commissioner", RoleKind.COMMISSIONER)]:
            RoleFactory(user=getattr(personas, persona), kind=kind, service=service)
        fill(CycleFactory(service=service, edition=build_edition(values=3, criteria_per_value=3)), personas, submitted)


@pytest.mark.parametrize("view", PAGES)
def test_page_queries_same_for_1_and_30_services(personas, view):
    persona, url, submitted = PAGES[view]
    cycle = fill(home_cycle(personas, edition=build_edition(values=3, criteria_per_value=3)), personas, submitted)
    client = browser_for(getattr(personas, persona))
    one, _response = counted(client, url(cycle))

    grow(personas, 29, submitted)
    thirty, response = counted(client, url(cycle))

    assert one == thirty, f"{view}: {one} queries with 1 service, {thirty} with 30"
    assert thirty <= MOST_QUERIES, f"{view}: {thirty} queries"
    assert "Kestrel Wing" in text(response)


@pytest.mark.parametrize("view", PAGES)
def test_page_queries_same_for_small_and_large_editions(personas, view):
    persona, url, submitted = PAGES[view]
    client = browser_for(getattr(personas, persona))
    small_cycle = fill(home_cycle(personas, edition=build_edition(values=2, criteria_per_value=3)), personas, submitted)
    small, _response = counted(client, url(small_cycle))
    Cycle.objects.filter(pk=small_cycle.pk).update(state=CycleState.CLOSED)

    large_cycle = fill(home_cycle(personas, edition=build_edition(values=10, criteria_per_value=9)), personas, submitted)
    large, response = counted(client, url(large_cycle))

    assert small == large, f"{view}: {small} queries for 6 criteria, {large} for 90"
    assert large <= MOST_QUERIES, f"{view}: {large} queries"
    assert "Kestrel Wing" in text(response)

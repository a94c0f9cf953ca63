"""The pages of deciding a review read the same number of queries whatever the size of the edition:
the decision page, the appeal page and the interim review, each for the people who act on it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.decisions.services.appeals import appoint_panel, lodge_appeal
from reviews.decisions.services.lifecycle import request_interim_review
from reviews.models import CycleState, DecisionOutcome, TeamRole
from tests.factories import DecisionFactory, RoleFactory, TeamMemberFactory, UserFactory, VisitFactory, build_edition
from tests.support.personas import browser_for
from tests.support.reviews import settled_review

pytestmark = pytest.mark.django_db


def final_review(personas, criteria_per_value):
    edition = build_edition(values=4, criteria_per_value=criteria_per_value)
    not_met = [f"V{v}.1" for v in range(1, 5)]
    cycle = settled_review(edition, personas.home, not_met=not_met, state=CycleState.FINAL)
    TeamMemberFactory(visit=VisitFactory(cycle=cycle), user=personas.lead_reviewer, role=TeamRole.LEAD_REVIEWER)
    DecisionFactory(cycle=cycle, outcome=DecisionOutcome.AWARDED,
                    valid_until=timezone.localdate() + datetime.timedelta(days=700))
    return cycle


def queries_for(user, url):
    client = browser_for(user)
    client.get(url)  # sessions and caches settle on the first visit
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page, persona", [
    ("reviews:decision", "admin"), ("reviews:decision", "lead_reviewer"),
    ("reviews:appeal", "lead"), ("reviews:appeal", "admin"),
    ("reviews:interim-review", "lead"), ("reviews:interim-review", "admin"),
])
def test_the_page_reads_as_many_queries_for_few_criteria_as_for_many(personas, page, persona):
    counts = []
    for size in (1, 6):
        cycle = final_review(personas, size)
        if page == "reviews:appeal":
            appeal = lodge_appeal(cycle, grounds="The team missed the evening meeting.", lodged_by=personas.lead)
            appoint_panel(appeal, members=[_panellist(size)], appointed_by=personas.admin)
        if page == "reviews:interim-review":
            request_interim_review(cycle, requested_by=personas.admin)
        counts.append(queries_for(getattr(personas, persona), reverse(page, args=[cycle.pk])))
        cycle.service.cycles.update(state=CycleState.CLOSED)  # the next review is the service's current one

    assert counts[0] == counts[1] and counts[1] <= 40


def _panellist(n):
    person = UserFactory(username=f"panellist{n}")
    RoleFactory(user=person, kind=RoleKind.NETWORK_ADMIN, service=None)
    return person

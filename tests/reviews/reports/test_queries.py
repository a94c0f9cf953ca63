"""The report page, the exports, the portfolio and the network reports page run the same number of
queries whatever the size of the data: a bigger edition, more reviewers, ratings, findings, actions,
earlier reviews and final versions, more commissioned services, more reports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import (
    CycleState,
    Decision,
    DecisionOutcome,
    FindingKind,
    JobStatus,
    Report,
    ReportKind,
    TeamRole,
)
from standards.models import Criterion
from tests.factories import (
    ActionFactory,
    AgreedRatingFactory,
    CycleFactory,
    EvidenceFactory,
    FindingFactory,
    MemberQuoteFactory,
    MemberResponseFactory,
    PeerRatingFactory,
    RoleFactory,
    SelfRatingFactory,
    ServiceFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
    build_edition,
)
from tests.support.documents import download
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import OTHER_NAMES, other_services, settled_review

pytestmark = pytest.mark.usefixtures("private_media")

PLACES = [TeamRole.LEAD_REVIEWER, TeamRole.PEER_REVIEWER, TeamRole.LIVED_EXPERIENCE_REVIEWER]


def final_review(name, *, values, criteria_per_value, reviewers, findings, actions, earlier, finals, admin):
    """A service's final review with everything a report shows, `reviewers` reviewers rating every
    criterion, and `earlier` settled reviews before it."""
    edition = build_edition(values=values, criteria_per_value=criteria_per_value)
    service = ServiceFactory(name=name)
    for year in range(earlier):
        settled_review(edition, service, opened=datetime.date(2020 + year, 3, 1))
    cycle = CycleFactory(service=service, edition=edition, state=CycleState.FINAL, submitted_at=timezone.now())
    visit = VisitFactory(cycle=cycle, date=timezone.localdate())
    team = [TeamMemberFactory(visit=visit, user=reviewer(f"{service.slug}-r{n}"), role=PLACES[n % 3],
                              ratings_submitted_at=timezone.now())
            for n in range(reviewers)]
    evidence = [EvidenceFactory(cycle=cycle), EvidenceFactory(cycle=cycle)]
    for criterion in Criterion.objects.filter(edition=edition):
        SelfRatingFactory(cycle=cycle, criterion=criterion, evidence=evidence)
        for place in team:
            PeerRatingFactory(team_member=place, criterion=criterion)
        AgreedRatingFactory(cycle=cycle, criterion=criterion, rationale="Agreed.")
    _members_answer(cycle, edition, responses=2 + 2 * reviewers, admin=admin)
    for n in range(findings):
        FindingFactory(cycle=cycle, kind=[FindingKind.STRENGTH, FindingKind.DEVELOPMENT, FindingKind.URGENT][n % 3])
    for n in range(actions):
        ActionFactory(cycle=cycle, due_date=timezone.localdate() + datetime.timedelta(days=n * 20 - 30))
    Decision.objects.create(cycle=cycle, outcome=DecisionOutcome.AWARDED, rationale="Met.", recommended=True,
                            recorded_by=admin)
    for version in range(1, finals + 1):
        Report.objects.create(kind=ReportKind.SERVICE, cycle=cycle, is_final=True, version=version, data_hash="x",
                              issued_by=admin, issued_at=timezone.now(), pages=9)
    return cycle


def _members_answer(cycle, edition, *, responses, admin):
    """Members' responses to every member question (enough to be shown in the large review, too few in
    the small one), a members' meeting's, and a quote the service agreed to."""
    questions = list(Criterion.objects.filter(edition=edition).exclude(rated_by="staff"))
    for n in range(responses):
        MemberResponseFactory(cycle=cycle, answers={q: ("yes", "sometimes", "no", "dont_know")[n % 4] for q in questions})
    MemberResponseFactory(cycle=cycle, channel="group", group_size=7, answers={q: "yes" for q in questions})
    MemberQuoteFactory(cycle=cycle, text="They listen to us here.", proposed_by=admin, agreed_by=admin,
                       agreed_at=timezone.now())


def small(admin):
    return final_review("Small Place", values=1, criteria_per_value=2, reviewers=1, findings=1, actions=1, earlier=1,
                        finals=1, admin=admin)


def large(admin):
    return final_review("Large Place", values=10, criteria_per_value=5, reviewers=3, findings=7, actions=9, earlier=3,
                        finals=3, admin=admin)


def queries(client, url):
    """The queries of a second visit (the first fills per-process caches), reading the whole response."""
    download(client, url)
    with CaptureQueriesContext(connection) as captured:
        response, _content = download(client, url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name", ["report", "cycle-export csv", "cycle-export json"])
def test_cycle_page_and_exports_queries_do_not_grow_with_data(personas, name):
    client = browser_for(personas.admin)
    page, *fmt = name.split()

    counts = [queries(client, reverse(f"reports:{page}", args=[make(personas.admin).pk, *fmt]))
              for make in (small, large)]

    assert counts[0] == counts[1]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_edition_export_queries_do_not_grow_with_cycles(personas, fmt):
    client = browser_for(personas.admin)
    one, twenty = build_edition(values=2, criteria_per_value=2), build_edition(values=4, criteria_per_value=3)
    other_services(one, OTHER_NAMES[:1])
    for n in range(20):
        settled_review(twenty, name=f"Service number {n}")
    TeamMemberFactory(visit=VisitFactory(cycle=CycleFactory(edition=twenty)), user=reviewer("extra"))

    counts = [queries(client, reverse("reports:edition-export", args=[edition.pk, fmt])) for edition in (one, twenty)]

    assert counts[0] == counts[1]


def commissioner_of(count, admin):
    """A commissioner of `count` services, each with a settled review, a current one, an overdue
    action and an urgent concern."""
    commissioner = UserFactory(username=f"commissioner{count}")
    edition = build_edition(values=3, criteria_per_value=2)
    for n in range(count):
        service = ServiceFactory(name=f"Commissioned {count}-{n}")
        RoleFactory(user=commissioner, kind=RoleKind.COMMISSIONER, service=service)
        settled = settled_review(edition, service, opened=datetime.date(2025, 1, 1))
        Decision.objects.create(cycle=settled, outcome=DecisionOutcome.AWARDED, rationale="Met.", recommended=True,
                                recorded_by=admin)
        current = CycleFactory(service=service, edition=edition)
        ActionFactory(cycle=settled, due_date=timezone.localdate() - datetime.timedelta(days=5))
        FindingFactory(cycle=current, kind=FindingKind.URGENT)
    Report.objects.create(kind=ReportKind.PORTFOLIO, owner=commissioner, requested_by=commissioner, data_hash="")
    return commissioner


def test_portfolio_queries_do_not_grow_with_services(personas):
    counts = [queries(browser_for(commissioner_of(count, personas.admin)), reverse("reports:portfolio"))
              for count in (1, 20)]

    assert counts[0] == counts[1]


def test_network_reports_page_queries_do_not_grow_with_reports(personas):
    client = browser_for(personas.admin)
    url = reverse("reports:network-reports")

    def add_reports(count):
        for n in range(count):
            edition = build_edition(values=1, criteria_per_value=1)
            admin = UserFactory(username=f"admin-{edition.pk}-{n}")
            Report.objects.create(kind=ReportKind.NETWORK, edition=edition, year=2026, requested_by=admin,
                                  status=JobStatus.READY, options={"names": n % 2 == 0}, data_hash="")

    add_reports(1)
    one = queries(client, url)
    add_reports(19)
    twenty = queries(client, url)

    assert one == twenty

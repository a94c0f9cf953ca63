"""Waiting for you, for network administrators and commissioners: urgent concerns acknowledged from
home, escalated ones, recommendations to ratify, final reports ready, appeals; and the home page runs
a fixed number of queries for every persona, whatever the number of reviews."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import Action, CycleState, Finding, FindingKind, Report, ReportKind
from reviews.peer.models import InviteeKind, VisitInvitation
from reviews.reports.services import issue_final_report
from tests.assurance.test_waiting import HOME, item_about, texts, waiting_for
from tests.factories import (
    AppealFactory,
    CycleFactory,
    FollowUpFactory,
    InterimReviewFactory,
    RecommendationFactory,
    RoleFactory,
    ServiceFactory,
    TeamMemberFactory,
    VisitFactory,
    build_edition,
)
from tests.support.pages import text
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import PeerReview, criterion


@pytest.fixture
def visit_review(personas):
    return PeerReview(personas).to(CycleState.VISIT)


@pytest.fixture
def draft_review(personas):
    return PeerReview(personas).to(CycleState.REPORT_DRAFT)


# --- the network administrators and the commissioners ------------------------------------------


def test_an_urgent_concern_is_acknowledged_from_the_administrators_home(personas, visit_review):
    finding = visit_review.finding(FindingKind.URGENT, "Night checks are skipped.")
    admin = browser_for(personas.admin)

    home = admin.get(HOME)
    item = item_about(home.context["waiting"], "Urgent concern at Kestrel Wing")
    assert item.urgent and "Night checks are skipped." in item.text
    assert 'name="acknowledge"' in home.content.decode()
    acknowledged = admin.post(item.in_place.url, {"acknowledge": item.in_place.value, "next": HOME}, follow=True)

    assert acknowledged.redirect_chain[-1][0] == reverse("home")
    assert "Urgent concern acknowledged." in text(acknowledged)
    assert "Urgent concern at Kestrel Wing" not in texts(acknowledged.context["waiting"])
    finding.refresh_from_db()
    assert finding.acknowledged_by == personas.admin


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead", "commissioner"])
def test_only_administrators_acknowledge(personas, visit_review, persona):
    finding = visit_review.finding(FindingKind.URGENT, "Night checks are skipped.")
    assert "Night checks" not in texts(waiting_for(getattr(personas, persona)))

    response = browser_for(getattr(personas, persona)).post(
        reverse("reviews:findings", args=[visit_review.cycle.pk]), {"acknowledge": finding.pk, "next": HOME})

    assert response.status_code in (403, 404)
    assert Finding.objects.get(pk=finding.pk).acknowledged_at is None


def test_an_escalated_concern_waits_for_the_commissioner(personas, visit_review):
    Finding.objects.create(cycle=visit_review.cycle, kind=FindingKind.URGENT, text="Fire doors are wedged open.",
                           escalated_by=personas.admin, escalated_at=timezone.now(), escalation_reason="Fire safety.",
                           acknowledged_at=timezone.now())

    item = item_about(waiting_for(personas.commissioner), "escalated to you on")

    assert "Fire doors are wedged open." in item.text and "Fire safety." in item.text
    assert item.link == reverse("reviews:cycle", args=[visit_review.cycle.pk])
    assert "Fire doors" not in texts(waiting_for(personas.member))


def test_recommendations_to_ratify_wait_for_administrators_not_on_the_team(personas, draft_review):
    RecommendationFactory(cycle=draft_review.cycle, recommended_by=personas.lead_reviewer)

    item = item_about(waiting_for(personas.admin), "ratify it or return it")
    assert item.link == reverse("reviews:decision", args=[draft_review.cycle.pk])
    assert "0 of 1 ratifications" in item.text
    for persona in ("lead_reviewer", "lead", "staff", "member", "commissioner"):
        assert "ratify" not in texts(waiting_for(getattr(personas, persona)))


def test_a_final_report_is_ready_for_administrators_and_the_services_commissioners(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    issue_final_report(review.cycle, issued_by=personas.admin)
    elsewhere = RoleFactory(kind=RoleKind.COMMISSIONER, service=personas.other).user

    for reader in (personas.admin, personas.commissioner):
        item = item_about(waiting_for(reader), "The final report of Kestrel Wing (version 1) is ready")
        assert item.link == reverse("reports:report", args=[review.cycle.pk])
    assert "final report" not in texts(waiting_for(elsewhere))
    first = Report.objects.get(cycle=review.cycle, is_final=True, audience="")
    Report.objects.create(kind=ReportKind.SERVICE, cycle=review.cycle, is_final=True, version=2,
                          data_hash="f" * 64, issued_at=timezone.now())
    [newest] = [item for item in waiting_for(personas.admin) if "final report" in item.text]
    assert "(version 2)" in newest.text and first.version == 1

    Report.objects.filter(cycle=review.cycle).update(issued_at=timezone.now() - datetime.timedelta(days=31))
    assert "final report" not in texts(waiting_for(personas.admin))


def test_appeals_wait_for_an_administrator_to_appoint_a_panel_then_for_the_panel(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    appeal = AppealFactory(cycle=review.cycle, lodged_by=personas.lead)

    item = item_about(waiting_for(personas.admin), "appoint the appeal panel")
    assert item.link == reverse("reviews:appeal", args=[review.cycle.pk])

    appeal.panel.add(personas.admin)
    assert "decide the appeal" in texts(waiting_for(personas.admin))
    for persona in ("lead", "commissioner", "lead_reviewer"):
        assert "appeal" not in texts(waiting_for(getattr(personas, persona)))


def test_follow_up_and_interim_review_wait_for_the_service_with_their_due_dates(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    follow_up = FollowUpFactory(cycle=review.cycle, due_on=timezone.localdate() + datetime.timedelta(days=40))
    interim = InterimReviewFactory(cycle=review.cycle, due_on=timezone.localdate() + datetime.timedelta(days=5))
    follow_up.criteria.add(criterion(review.cycle, "V1.1"))

    items = waiting_for(personas.staff)

    assert item_about(items, "follow-up review of Kestrel Wing is open").due == follow_up.due_on
    assert item_about(items, "interim review").due == interim.due_on
    assert items.index(item_about(items, "interim review")) < items.index(item_about(items, "follow-up"))
    assert "follow-up" not in texts(waiting_for(personas.member))


# --- bounded SQL -----------------------------------------------------------------------------


def busy_network(personas, count):
    """`count` services whose every review asks something of every persona: an open
    self-assessment, a visit to rate, a draft with a comment to answer and an action overdue, an
    urgent concern escalated, a recommendation to ratify, a final report, an appeal, a follow-up."""
    edition = build_edition(values=2, criteria_per_value=2)
    stages = [CycleState.OPEN, CycleState.VISIT, CycleState.REPORT_DRAFT, CycleState.FINAL]
    for n in range(count):
        for stage in stages:
            service = ServiceFactory(name=f"Service {n} {stage}")
            for name, kind in (("lead", RoleKind.SERVICE_LEAD), ("staff", RoleKind.STAFF),
                               ("member", RoleKind.MEMBER), ("commissioner", RoleKind.COMMISSIONER)):
                RoleFactory(user=getattr(personas, name), kind=kind, service=service)
            cycle = CycleFactory(service=service, edition=edition, state=stage)
            visit = VisitFactory(cycle=cycle)
            for name, role in (("reviewer", "peer_reviewer"), ("lived_experience_reviewer", "lived_experience_reviewer"),
                               ("lead_reviewer", "lead_reviewer")):
                TeamMemberFactory(visit=visit, user=getattr(personas, name), role=role)
            VisitInvitation.objects.create(visit=visit, user=personas.reviewer, kind=InviteeKind.TEAM)
            Finding.objects.create(cycle=cycle, kind=FindingKind.URGENT, text="Urgent.",
                                   escalated_at=timezone.now(), escalation_reason="Why.")
            Action.objects.create(cycle=cycle, description="Act.", owner="Manager",
                                  due_date=timezone.localdate() - datetime.timedelta(days=1))
            if stage == CycleState.REPORT_DRAFT:
                RecommendationFactory(cycle=cycle)
            if stage == CycleState.FINAL:
                Report.objects.create(kind=ReportKind.SERVICE, cycle=cycle, is_final=True, version=1,
                                      data_hash=f"{cycle.pk:064x}", issued_at=timezone.now())
                AppealFactory(cycle=cycle)
                FollowUpFactory(cycle=cycle)
                InterimReviewFactory(cycle=cycle)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("count", [1, 10])
def test_the_home_page_runs_a_fixed_number_of_queries(personas, persona, count, django_assert_max_num_queries):
    busy_network(personas, count)
    client = browser_for(getattr(personas, persona))

    with django_assert_max_num_queries(25):
        response = client.get(HOME)

    assert response.status_code == 200
    if persona != "outsider":
        assert len(response.context["waiting"]) >= count

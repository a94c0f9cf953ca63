"""seed_demo's reviews read like real ones: what reviewers wrote fits the ratings it sits beside, every
reviewed cycle has its evidence, every date falls in the order a review's steps happen, Cedar Unit's
award has its final report, and the network reports of this year and last have figures.

The demo is seeded once for the module (tests/assurance/conftest.py), and every test only reads it."""


import pytest
from django.conf import settings
from django.utils import timezone

from assurance.demo import NETWORK_SERVICES
from reviews.cycles.models import Cycle, CycleState
from reviews.peer.demo_words import MET, NOT_MET, PARTLY, comments_at
from reviews.peer.models import AgreedRating, Finding, FindingKind, PeerRating
from reviews.reports.network import network_report_data
from reviews.selfassessment.demo import words_for
from reviews.selfassessment.models import Perspective, SelfRating
from standards.models import Edition
from tests.support.documents import pdf_text

NEGATIVE = ["little sign", "no say", "could not tell", "no record", "not evident", "never come", "not yet"]
BAND = {"Met": MET, "Partly met": PARTLY, "Not met": NOT_MET}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_every_reviewer_comment_fits_its_rating():
    rated = PeerRating.objects.exclude(comment="").filter(level__isnull=False).select_related(
        "level", "team_member__visit__cycle__service__sector")
    assert rated.count() > 200
    for rating in rated:
        words = words_for(rating.team_member.visit.cycle.service.sector.name)
        assert rating.comment in comments_at(BAND[rating.level.label], words), (rating.level.label, rating.comment)
        if rating.level.label == "Met":
            assert not any(phrase in rating.comment.lower() for phrase in NEGATIVE), rating.comment
    # none of the "found little sign" kind beside Met, anywhere
    assert not PeerRating.objects.filter(level__label="Met", comment__icontains="little sign").exists()


def test_every_reason_for_an_agreed_rating_names_the_rating_agreed():
    reasons = AgreedRating.objects.exclude(rationale="").select_related("level")
    assert reasons.count() > 50
    for agreed in reasons:
        assert f"agreed {agreed.level.label}" in agreed.rationale, (agreed.level.label, agreed.rationale)
    assert not AgreedRating.objects.filter(level__label="Met", rationale__icontains="little sign").exists()


def test_strengths_are_about_criteria_met_and_developments_about_criteria_not_yet_met():
    findings = Finding.objects.filter(kind__in=[FindingKind.STRENGTH, FindingKind.DEVELOPMENT])
    assert findings.filter(criterion__isnull=True).count() == 0
    agreed = {(a.cycle_id, a.criterion_id): a.level.label for a in AgreedRating.objects.select_related("level")}
    for finding in findings:
        label = agreed[(finding.cycle_id, finding.criterion_id)]
        assert (label == "Met") == (finding.kind == FindingKind.STRENGTH), (finding.kind, label, finding.text)


def test_every_reviewed_cycle_has_evidence_linked_to_the_staff_answers_and_shown_in_its_report():
    for cycle in Cycle.objects.exclude(state=CycleState.OPEN):
        linked = SelfRating.objects.filter(cycle=cycle, perspective=Perspective.STAFF, evidence__isnull=False)
        assert linked.exists(), cycle
        assert {"file", "link"} <= set(cycle.evidence.values_list("kind", flat=True)), cycle
    cedar = Cycle.objects.get(service__name="Cedar Unit", state=CycleState.FINAL)
    final = cedar.reports.get(is_final=True, version=1, audience="")
    with final.file.open("rb") as file:
        text = pdf_text(file.read())
    assert "Evidence: " in text
    assert "Reflective practice attendance log" in text


def test_every_cycle_opened_before_it_was_submitted_visited_and_decided():
    today = timezone.localdate()
    for cycle in Cycle.objects.select_related("visit", "decision"):
        steps = [timezone.localdate(cycle.opened_at)]
        if cycle.submitted_at:
            steps.append(timezone.localdate(cycle.submitted_at))
        if getattr(cycle, "visit", None) and cycle.visit.date:
            steps.append(cycle.visit.date)
        agreed = cycle.agreed_ratings.order_by("-agreed_at").first()
        if agreed:
            steps.append(timezone.localdate(agreed.agreed_at))
        decision = getattr(cycle, "decision", None)
        if decision:
            steps.append(timezone.localdate(decision.recorded_at))
        for report in cycle.reports.filter(is_final=True).order_by("version"):
            steps.append(timezone.localdate(report.issued_at))
        assert steps == sorted(steps) and steps[-1] <= today, (cycle.service.name, steps)
        events = list(cycle.events.order_by("pk").values_list("at", flat=True))
        assert events == sorted(events), cycle.service.name
    # this year's reviews opened this year, months ago; last year's a year back
    current = Cycle.objects.exclude(state=CycleState.CLOSED)
    assert all(timezone.localdate(c.opened_at) < today for c in current)
    assert Cycle.objects.filter(edition__version="2025.1", opened_at__year=today.year - 1).count() >= 5


def test_cedar_units_award_was_recommended_ratified_and_its_final_report_issued_that_day():
    cedar = Cycle.objects.get(service__name="Cedar Unit", state=CycleState.FINAL)
    decision = cedar.decision
    assert decision.recommended_by.username == "nia"
    final = cedar.reports.get(is_final=True, version=1, audience="")
    assert timezone.localdate(final.issued_at) == timezone.localdate(decision.recorded_at)
    assert cedar.recommendations.get().votes.filter(ratified=True).exists()
    last_year = Cycle.objects.get(service__name="Cedar Unit", state=CycleState.CLOSED)
    assert last_year.reports.filter(is_final=True, version=1).exists()


def test_the_network_reports_of_this_year_and_last_have_figures():
    today = timezone.localdate()
    this_year = network_report_data(Edition.objects.get(version="2026.1"), today.year)
    last_year = network_report_data(Edition.objects.get(version="2025.1"), today.year - 1)

    assert this_year["enough"] and this_year["service_count"] >= settings.NETWORK_MINIMUM_SERVICES
    assert last_year["enough"] and last_year["service_count"] >= settings.NETWORK_MINIMUM_SERVICES
    assert this_year["median_overall"] is not None and this_year["strongest"] and this_year["weakest"]
    # the services reviewed both years: this year's reviews with their final reports
    for name in NETWORK_SERVICES:
        cycles = Cycle.objects.filter(service__name=name).order_by("opened_at")
        assert [c.edition.version for c in cycles] == ["2025.1", "2026.1"]
        assert cycles.last().reports.filter(is_final=True).exists()
    outcomes = set(Cycle.objects.filter(service__name__in=NETWORK_SERVICES, edition__version="2026.1")
                   .values_list("decision__outcome", flat=True))
    assert {"awarded", "not_awarded"} <= outcomes

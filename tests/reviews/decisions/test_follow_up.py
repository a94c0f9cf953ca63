"""The follow-up review after a deferral: the unmet criteria only, the service's new answers and
evidence, the lead reviewer's new ratings and recommendation, and the decision that changes the
agreed ratings and issues a new final report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.decisions.models import FollowUp, FollowUpAnswer, FollowUpStatus, Recommendation, RecommendationStatus
from reviews.decisions.queries.follow_up import follow_up_history
from reviews.decisions.services.follow_up import (
    decide_follow_up,
    open_follow_up,
    rate_follow_up,
    recommend_after_follow_up,
    save_follow_up_answer,
    submit_follow_up,
)
from reviews.decisions.signals import decision_changed
from reviews.errors import ReviewError
from reviews.models import AgreedRating, CycleState, Decision, DecisionOutcome, TeamRole
from reviews.peer.models import ChangeSource, RatingChange
from reviews.reports.queries import final_reports
from reviews.reports.services import issue_final_report
from tests.factories import TeamMemberFactory, VisitFactory, build_edition
from tests.support.reviews import criterion, level, settled_review

UNMET = ["V1.1", "V2.1", "V2.2"]


@pytest.fixture
def deferred(personas):
    """A deferred review of the home service: V1.1 and V2.2 not met, V2.1 partly met, V1.3 not
    applicable, the rest met; personas.lead_reviewer led it."""
    edition = build_edition(values=2, criteria_per_value=3)
    cycle = settled_review(edition, personas.home, not_met=("V1.1", "V2.2"), not_applicable=("V1.3",),
                           state=CycleState.FINAL)
    AgreedRating.objects.filter(cycle=cycle, criterion__code="V2.1").update(level=level(cycle, "Partly met"))
    AgreedRating.objects.filter(cycle=cycle, criterion__code="V1.1").update(rationale="Night staff never join in.")
    Decision.objects.create(cycle=cycle, outcome=DecisionOutcome.DEFERRED, rationale="Three criteria to look at again.",
                            recommended=False, recorded_by=personas.admin)
    TeamMemberFactory(visit=VisitFactory(cycle=cycle), user=personas.lead_reviewer, role=TeamRole.LEAD_REVIEWER)
    return cycle


def due():
    return timezone.localdate() + datetime.timedelta(weeks=8)


def codes(follow_up):
    return sorted(follow_up.criteria.values_list("code", flat=True))


def answered(cycle, personas):
    follow_up = open_follow_up(cycle, due_on=due(), opened_by=personas.admin)
    for code in UNMET:
        save_follow_up_answer(follow_up, criterion(cycle, code), narrative=f"What changed for {code}.",
                              evidence_ids=[], base_version=0, saved_by=personas.staff)
    return submit_follow_up(follow_up, submitted_by=personas.lead)


def rated(cycle, personas, labels):
    follow_up = answered(cycle, personas)
    for code, label in labels.items():
        rate_follow_up(follow_up, criterion(cycle, code), level=level(cycle, label), not_applicable=False,
                       rationale=f"New rating of {code}: {label}.", base_version=None, rated_by=personas.lead_reviewer)
    return follow_up


def recommended(cycle, personas, labels, outcome=DecisionOutcome.AWARDED):
    follow_up = rated(cycle, personas, labels)
    recommendation = recommend_after_follow_up(follow_up, outcome=outcome, reasons="The rota shows the change.",
                                               valid_until=None, recommended_by=personas.lead_reviewer)
    return follow_up, recommendation


def decided(cycle, personas, labels, outcome=DecisionOutcome.AWARDED):
    follow_up, recommendation = recommended(cycle, personas, labels, outcome)
    Recommendation.objects.filter(pk=recommendation.pk).update(status=RecommendationStatus.RATIFIED)
    recommendation.refresh_from_db()
    decide_follow_up(follow_up, recommendation=recommendation, decided_by=personas.admin)
    return follow_up


ALL_MET = {"V1.1": "Met", "V2.1": "Met", "V2.2": "Met"}


# --- opening ----------------------------------------------------------------------------------


def test_a_follow_up_looks_again_only_at_the_criteria_not_met(deferred, personas):
    follow_up = open_follow_up(deferred, due_on=due(), opened_by=personas.admin)

    assert codes(follow_up) == UNMET  # not V1.3, Not applicable, nor the met ones
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.earlier_outcome == DecisionOutcome.DEFERRED
    with pytest.raises(ReviewError, match="already open"):
        open_follow_up(deferred, due_on=due(), opened_by=personas.admin)


def test_nothing_to_follow_up_when_every_criterion_is_met_or_not_applicable(personas):
    edition = build_edition(values=1, criteria_per_value=3)
    cycle = settled_review(edition, personas.home, not_applicable=("V1.2",), state=CycleState.FINAL)

    with pytest.raises(ReviewError, match="nothing to follow up"):
        open_follow_up(cycle, due_on=due(), opened_by=personas.admin)


# --- the service's answers ----------------------------------------------------------------------


def page(cycle):
    return reverse("reviews:follow-up", args=[cycle.pk])


def test_the_service_answers_with_evidence_and_sends_only_when_every_criterion_is_answered(
        deferred, personas, client_for):
    follow_up = open_follow_up(deferred, due_on=due(), opened_by=personas.admin)
    client = client_for(personas.staff)
    v11 = criterion(deferred, "V1.1")

    response = client.get(page(deferred))
    assert response.status_code == 200
    assert "Night staff never join in." in response.content.decode()  # the reviewers' reasons
    client.post(page(deferred), {"add_link": "", "link-title": "Rota, May", "link-url": "https://example.org/rota"})
    evidence = deferred.evidence.get(title="Rota, May")
    client.post(page(deferred), {"save_answer": v11.pk, f"answer-{v11.pk}-narrative": "Night staff join weekly.",
                                 f"answer-{v11.pk}-evidence": [evidence.pk], f"answer-{v11.pk}-base_version": 0})
    response = client.post(page(deferred), {"submit": ""}, follow=True)

    answer = FollowUpAnswer.objects.get(follow_up=follow_up, criterion=v11)
    assert answer.narrative == "Night staff join weekly." and list(answer.evidence.all()) == [evidence]
    assert "2 criteria have no answer yet" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN

    for code in ("V2.1", "V2.2"):
        c = criterion(deferred, code)
        client.post(page(deferred), {"save_answer": c.pk, f"answer-{c.pk}-narrative": "Changed.",
                                     f"answer-{c.pk}-base_version": 0})
    response = client.post(page(deferred), {"submit": ""}, follow=True)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.SUBMITTED and follow_up.submitted_by == personas.staff
    assert "the lead reviewer now rates each criterion again" in response.content.decode()


def test_an_empty_answer_is_refused_next_to_its_field(deferred, personas, client_for):
    open_follow_up(deferred, due_on=due(), opened_by=personas.admin)
    v11 = criterion(deferred, "V1.1")

    response = client_for(personas.staff).post(page(deferred), {
        "save_answer": v11.pk, f"answer-{v11.pk}-narrative": "  ", f"answer-{v11.pk}-base_version": 0})

    assert response.status_code == 400
    assert "Say what has changed and what shows it." in response.content.decode()


def test_two_people_answering_at_once_never_overwrite_each_other(deferred, personas, client_for):
    follow_up = open_follow_up(deferred, due_on=due(), opened_by=personas.admin)
    v11 = criterion(deferred, "V1.1")
    save_follow_up_answer(follow_up, v11, narrative="The lead's words.", evidence_ids=[], base_version=0,
                          saved_by=personas.lead)

    response = client_for(personas.staff).post(page(deferred), {
        "save_answer": v11.pk, f"answer-{v11.pk}-narrative": "The staff's words.", f"answer-{v11.pk}-base_version": 0})

    text = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this" in text and "The lead&#x27;s words." in text and "The staff&#x27;s words." in text
    assert FollowUpAnswer.objects.get(follow_up=follow_up, criterion=v11).narrative == "The lead's words."


# --- the lead reviewer ------------------------------------------------------------------------


def test_the_lead_reviewer_rates_each_criterion_again_and_recommends(deferred, personas, client_for):
    follow_up = answered(deferred, personas)
    client = client_for(personas.lead_reviewer)
    v11 = criterion(deferred, "V1.1")

    response = client.post(page(deferred), {"rate": v11.pk, f"rate-{v11.pk}-level": level(deferred, "Met").pk,
                                            f"rate-{v11.pk}-rationale": "", f"rate-{v11.pk}-base_version": 0})
    assert response.status_code == 400
    assert "Give the rationale for the new rating." in response.content.decode()

    response = client.post(page(deferred), {"recommend": "", "recommend-outcome": DecisionOutcome.AWARDED,
                                            "recommend-reasons": "Met now."}, follow=True)
    assert "Rate the 3 criteria not yet rated" in response.content.decode()

    for code in UNMET:
        c = criterion(deferred, code)
        client.post(page(deferred), {"rate": c.pk, f"rate-{c.pk}-level": level(deferred, "Met").pk,
                                     f"rate-{c.pk}-rationale": "The rota shows it.", f"rate-{c.pk}-base_version": 0})
    client.post(page(deferred), {"recommend": "", "recommend-outcome": DecisionOutcome.AWARDED,
                                 "recommend-reasons": "Every criterion is met now."})

    recommendation = Recommendation.objects.get(follow_up=follow_up)
    assert recommendation.outcome == DecisionOutcome.AWARDED and recommendation.status == RecommendationStatus.PENDING
    assert recommendation.valid_until is not None  # an award carries its end date
    with pytest.raises(ReviewError, match="waiting for ratification"):
        rate_follow_up(follow_up, v11, level=level(deferred, "Partly met"), not_applicable=False, rationale="x",
                       base_version=None, rated_by=personas.lead_reviewer)


# --- the decision -------------------------------------------------------------------------------


def test_deciding_changes_the_agreed_ratings_and_the_decision(deferred, personas):
    follow_up = decided(deferred, personas, {"V1.1": "Met", "V2.1": "Partly met", "V2.2": "Met"})

    agreed = {a.criterion.code: a.level.label for a in deferred.agreed_ratings.filter(level__isnull=False)
              .select_related("criterion", "level")}
    assert agreed["V1.1"] == "Met" and agreed["V2.2"] == "Met" and agreed["V2.1"] == "Partly met"
    changes = RatingChange.objects.filter(cycle=deferred)
    assert sorted(c.criterion.code for c in changes) == ["V1.1", "V2.2"]  # V2.1 is as it was
    assert {c.source for c in changes} == {ChangeSource.FOLLOW_UP}
    decision = Decision.objects.get(cycle=deferred)
    assert decision.outcome == DecisionOutcome.AWARDED
    assert decision.rationale == "The rota shows the change." and decision.recommended_by == personas.lead_reviewer
    assert decision.percent_met > 60
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DECIDED and follow_up.decided_at is not None
    assert not FollowUp.objects.filter(cycle=deferred, status=FollowUpStatus.OPEN).exists()

    [history] = follow_up_history(deferred)
    assert (history.earlier_outcome, history.new_outcome) == (DecisionOutcome.DEFERRED, DecisionOutcome.AWARDED)
    assert history.decided_on == timezone.localdate()
    assert [(c.code, c.from_label, c.to_label) for c in history.changes] == [
        ("V1.1", "Not met", "Met"), ("V2.2", "Not met", "Met")]
    assert history.changes[0].reason == "New rating of V1.1: Met."


def test_deferred_again_opens_a_follow_up_of_what_is_still_not_met(deferred, personas):
    first = decided(deferred, personas, {"V1.1": "Met", "V2.1": "Partly met", "V2.2": "Met"},
                    outcome=DecisionOutcome.DEFERRED)

    second = FollowUp.objects.exclude(pk=first.pk).get(cycle=deferred)
    assert codes(second) == ["V2.1"]
    assert second.status == FollowUpStatus.OPEN and second.earlier_outcome == DecisionOutcome.DEFERRED
    assert second.due_on > timezone.localdate()


def test_a_deferral_with_nothing_left_unmet_is_refused(deferred, personas):
    follow_up = rated(deferred, personas, ALL_MET)

    with pytest.raises(ReviewError, match="nothing left to defer"):
        recommend_after_follow_up(follow_up, outcome=DecisionOutcome.DEFERRED, reasons="Not sure.", valid_until=None,
                                  recommended_by=personas.lead_reviewer)


@pytest.mark.usefixtures("media_root")
def test_the_decided_follow_up_issues_a_new_final_report_and_keeps_the_earlier(deferred, personas):
    issue_final_report(deferred, issued_by=personas.admin)
    decided(deferred, personas, ALL_MET)
    decision_changed.send(sender=FollowUp, cycle=deferred, actor=personas.admin, reason="Follow-up decided.")

    assert list(final_reports(deferred).order_by("version").values_list("version", flat=True)) == [1, 2]


# --- who sees what -------------------------------------------------------------------------------


def test_a_commissioner_sees_where_the_follow_up_stands_but_not_the_answers_or_new_ratings(
        deferred, personas, client_for):
    rated(deferred, personas, ALL_MET)

    response = client_for(personas.commissioner).get(page(deferred))

    text = response.content.decode()
    assert response.status_code == 200
    assert due().strftime("%-d %B %Y") in text and "V1.1" in text
    assert "What changed for V1.1." not in text and "New rating of V1.1" not in text


def test_the_lead_reviewer_sees_answers_and_the_cycle_page_links_the_follow_up(deferred, personas, client_for):
    answered(deferred, personas)
    client = client_for(personas.lead_reviewer)

    assert "What changed for V2.2." in client.get(page(deferred)).content.decode()
    cycle_page = client.get(deferred.get_absolute_url()).content.decode()
    assert page(deferred) in cycle_page and "With the lead reviewer" in cycle_page


def test_another_services_follow_up_is_not_found(personas, client_for):
    edition = build_edition(values=1, criteria_per_value=2)
    cycle = settled_review(edition, personas.other, not_met=("V1.1",), state=CycleState.FINAL)
    open_follow_up(cycle, due_on=due(), opened_by=personas.admin)

    assert client_for(personas.staff).get(page(cycle)).status_code == 404


def test_an_overdue_follow_up_says_so(deferred, personas, client_for):
    follow_up = open_follow_up(deferred, due_on=due(), opened_by=personas.admin)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))

    assert "Overdue" in client_for(personas.staff).get(page(deferred)).content.decode()


@pytest.mark.parametrize("persona", ["staff", "lead_reviewer"])
def test_the_page_takes_the_same_queries_for_few_criteria_or_many(personas, client_for, django_assert_max_num_queries,
                                                                   persona):
    edition = build_edition(values=4, criteria_per_value=5)
    cycle = settled_review(edition, personas.home, not_met=[f"V{v}.{c}" for v in range(1, 5) for c in range(1, 6)],
                           state=CycleState.FINAL)
    TeamMemberFactory(visit=VisitFactory(cycle=cycle), user=personas.lead_reviewer, role=TeamRole.LEAD_REVIEWER)
    follow_up = open_follow_up(cycle, due_on=due(), opened_by=personas.admin)
    for c in follow_up.criteria.all():
        save_follow_up_answer(follow_up, c, narrative="Changed.", evidence_ids=[], base_version=0,
                              saved_by=personas.staff)
    if persona == "lead_reviewer":
        submit_follow_up(follow_up, submitted_by=personas.staff)
    client = client_for(getattr(personas, persona))

    with django_assert_max_num_queries(30):
        assert client.get(page(cycle)).status_code == 200

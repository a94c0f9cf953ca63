"""Conflicts of interest at organisation level: nobody reviews, ratifies or hears the appeal of a
service run by their own organisation, or by an organisation they declared a conflict with; and a
secure setting takes only reviewers whose vetting holds on the visit day."""

import datetime

import pytest
import rules
from django.utils import timezone

from assurance.models import ReviewerRecord, RoleKind
from reviews.decisions.queries.appeals import panel_candidates
from reviews.decisions.queries.ratify import waiting_for_ratification
from reviews.decisions.services.ratify import recommend_outcome, refusal_to_vote
from reviews.models import ConflictOfInterest, CycleState, DecisionOutcome, TeamRole
from reviews.peer.services import declare_conflict
from reviews.peer.services.team import ineligibility
from tests.factories import CycleFactory, RoleFactory, ServiceFactory, UserFactory
from tests.support.pages import table, text
from tests.support.peer import add_to_team, post_visit, submitted_review, team_of
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import PeerReview

CONFLICTS = "/cycles/conflicts-of-interest/"


def days(n):
    """n days from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def cedar(personas):
    """Cedar Unit: another service of the organisation that runs Kestrel Wing (the home service)."""
    return ServiceFactory(name="Cedar Unit", organisation=personas.home.organisation)


# --- the team ---------------------------------------------------------------------------------


def test_a_reviewer_from_another_service_of_the_same_organisation_is_refused(personas, cedar):
    review = submitted_review(personas)
    sam = reviewer("sam", service=cedar, first_name="Sam", last_name="Okafor")

    response = add_to_team(browser_for(personas.admin), review, sam, TeamRole.PEER_REVIEWER)

    organisation = personas.home.organisation.name
    assert (f"Sam Okafor belongs to Cedar Unit in {organisation}, which runs Kestrel Wing, and nobody reviews a "
            "service of their own organisation.") in text(response)
    assert team_of(review) == set()


def test_a_staff_member_elsewhere_in_the_organisation_is_refused_too(personas, cedar):
    review = submitted_review(personas)
    RoleFactory(user=personas.reviewer, kind=RoleKind.STAFF, service=cedar)

    assert "which runs Kestrel Wing" in ineligibility(personas.reviewer, review.cycle, TeamRole.PEER_REVIEWER)


def test_a_declared_conflict_with_the_organisation_refuses_every_service_it_runs(personas, cedar):
    review = submitted_review(personas)
    declared = browser_for(personas.reviewer).post(CONFLICTS, {
        "organisation": personas.home.organisation.slug, "reason": "I worked for them until last year."}, follow=True)
    assert "Your conflict of interest is recorded." in text(declared)

    response = add_to_team(browser_for(personas.admin), review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert (f"{personas.reviewer} has declared a conflict of interest with {personas.home.organisation.name}, "
            "which runs Kestrel Wing.") in text(response)
    assert team_of(review) == set()
    cedar_cycle = CycleFactory(service=cedar, state=CycleState.SELF_ASSESSMENT_SUBMITTED)
    assert ineligibility(personas.reviewer, cedar_cycle, TeamRole.PEER_REVIEWER) == (
        f"{personas.reviewer} has declared a conflict of interest with {cedar.organisation.name}, which runs "
        "Cedar Unit.")


def test_a_conflict_with_another_organisation_does_not_refuse(personas):
    review = submitted_review(personas)
    elsewhere = ServiceFactory(name="Birch Court")
    ConflictOfInterest.objects.create(user=personas.reviewer, organisation=elsewhere.organisation, reason="Family.")

    add_to_team(browser_for(personas.admin), review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert team_of(review) == {(personas.reviewer.username, TeamRole.PEER_REVIEWER)}


# --- the conflicts page -----------------------------------------------------------------------


def test_the_conflicts_page_lists_services_and_whole_organisations(personas):
    elsewhere = ServiceFactory(name="Birch Court")
    client = browser_for(personas.reviewer)
    client.post(CONFLICTS, {"service": "birch-court", "reason": "A relative lives there."})
    client.post(CONFLICTS, {"organisation": personas.home.organisation.slug, "reason": "I worked for them."})

    page = text(client.get(CONFLICTS))

    assert f"Birch Court ({elsewhere.organisation.name}): A relative lives there." in page
    assert (f"{personas.home.organisation.name} (the whole organisation: every service it runs): "
            "I worked for them.") in page


@pytest.mark.parametrize(("chosen", "message"), [
    ({}, "Service: choose the service, or below it the whole organisation, you have a conflict of interest with."),
    ({"service": "elm-house", "organisation": "ORG"},
     "Organisation: choose a service or a whole organisation, not both."),
])
def test_the_conflicts_form_needs_one_service_or_one_organisation(personas, chosen, message):
    chosen = {key: personas.home.organisation.slug if value == "ORG" else value for key, value in chosen.items()}

    response = browser_for(personas.reviewer).post(CONFLICTS, {**chosen, "reason": "Worked there."})

    assert message in text(response)
    assert not ConflictOfInterest.objects.exists()


def test_no_organisation_conflict_while_on_the_team_of_one_of_its_services(personas):
    PeerReview(personas).submit_self_assessment().build_team()

    response = browser_for(personas.reviewer).post(CONFLICTS, {
        "organisation": personas.home.organisation.slug, "reason": "I used to work for them."})

    assert "You are on the team for Kestrel Wing's current review." in text(response)
    assert not ConflictOfInterest.objects.exists()


def test_an_organisation_conflict_is_declared_once(personas):
    declare_conflict(user=personas.reviewer, organisation=personas.home.organisation, reason="Worked there.")

    response = browser_for(personas.reviewer).post(CONFLICTS, {
        "organisation": personas.home.organisation.slug, "reason": "Again."})

    assert (f"You have already declared a conflict of interest with {personas.home.organisation.name}."
            in text(response))
    assert ConflictOfInterest.objects.count() == 1


# --- ratifying and the appeal panel -----------------------------------------------------------


@pytest.fixture
def draft(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything().finish()
    review.to(CycleState.REPORT_DRAFT)
    recommendation = recommend_outcome(
        review.cycle, outcome=DecisionOutcome.AWARDED, reasons="Every tier reaches its threshold.",
        valid_until=days(900), follow_up_due=None, recommended_by=personas.lead_reviewer)
    return review, recommendation


def network_admin(username):
    user = UserFactory(username=username)
    RoleFactory(user=user, kind=RoleKind.NETWORK_ADMIN, service=None)
    return user


def test_an_administrator_from_the_same_organisation_does_not_ratify(draft, cedar):
    review, recommendation = draft
    insider = network_admin("insider")
    RoleFactory(user=insider, kind=RoleKind.STAFF, service=cedar)

    refusal = refusal_to_vote(recommendation, insider)

    assert refusal == (f"You belong to Cedar Unit in {cedar.organisation.name}, which runs Kestrel Wing, so another "
                       "administrator ratifies it.")
    assert not rules.test_rule("ratify_recommendation", insider, review.cycle)
    outside = network_admin("outside")
    assert refusal_to_vote(recommendation, outside) is None
    assert rules.test_rule("ratify_recommendation", outside, review.cycle)


def test_an_administrator_with_an_organisation_conflict_does_not_ratify(draft, cedar):
    _review, recommendation = draft
    declared = network_admin("declared")
    ConflictOfInterest.objects.create(user=declared, organisation=cedar.organisation, reason="Former governor.")

    assert refusal_to_vote(recommendation, declared) == (
        f"You have declared a conflict of interest with {cedar.organisation.name}, which runs Kestrel Wing, so "
        "another administrator ratifies it.")


def test_the_ratification_queue_leaves_out_the_organisation_and_its_conflicts(draft, cedar):
    _review, recommendation = draft
    insider, declared, outside = network_admin("insider"), network_admin("declared"), network_admin("outside")
    RoleFactory(user=insider, kind=RoleKind.MEMBER, service=cedar)
    ConflictOfInterest.objects.create(user=declared, organisation=cedar.organisation, reason="Former governor.")

    assert waiting_for_ratification(outside) == [recommendation]
    assert waiting_for_ratification(insider) == []
    assert waiting_for_ratification(declared) == []


def test_the_appeal_panel_leaves_out_the_organisation_and_its_conflicts(personas, cedar):
    review = PeerReview(personas).to(CycleState.FINAL)
    insider, declared = network_admin("insider"), network_admin("declared")
    network_admin("outside")
    RoleFactory(user=insider, kind=RoleKind.SERVICE_LEAD, service=cedar)
    ConflictOfInterest.objects.create(user=declared, organisation=cedar.organisation, reason="Former governor.")

    candidates = set(panel_candidates(review.cycle).values_list("username", flat=True))

    assert "outside" in candidates
    assert not candidates & {"insider", "declared"}


# --- secure settings --------------------------------------------------------------------------


@pytest.fixture
def secure(personas):
    personas.home.is_secure_setting = True
    personas.home.save()
    return submitted_review(personas)


def plan(review, date):
    post_visit(browser_for(review.personas.admin), review, save_visit="1", date=date.isoformat(), notes="")


def test_a_secure_setting_refuses_a_reviewer_without_vetting(personas, secure):
    response = add_to_team(browser_for(personas.admin), secure, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert f"{personas.reviewer} has no vetting recorded; Kestrel Wing is a secure setting." in text(response)
    assert team_of(secure) == set()


def test_a_secure_setting_refuses_expired_vetting(personas, secure):
    expired = days(-30)
    ReviewerRecord.objects.create(user=personas.reviewer, vetting="Prison vetting", vetting_expires_on=expired)

    refusal = ineligibility(personas.reviewer, secure.cycle, TeamRole.PEER_REVIEWER)

    assert refusal == (f"{personas.reviewer}'s vetting expired on {expired.day} {expired:%B %Y}; Kestrel Wing is a "
                       "secure setting.")


def test_a_secure_setting_refuses_vetting_that_expires_before_the_visit(personas, secure):
    plan(secure, days(60))
    ReviewerRecord.objects.create(user=personas.reviewer, vetting="Prison vetting", vetting_expires_on=days(30))

    refusal = ineligibility(personas.reviewer, secure.cycle, TeamRole.PEER_REVIEWER)

    assert "vetting expires on" in refusal and "before the visit on" in refusal


def test_a_secure_setting_takes_vetting_valid_on_the_visit_day(personas, secure):
    plan(secure, days(60))
    ReviewerRecord.objects.create(user=personas.reviewer, vetting="Prison vetting", vetting_expires_on=days(61))

    add_to_team(browser_for(personas.admin), secure, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert team_of(secure) == {(personas.reviewer.username, TeamRole.PEER_REVIEWER)}


def test_a_service_that_is_not_secure_needs_no_vetting(personas):
    review = submitted_review(personas)

    assert ineligibility(personas.reviewer, review.cycle, TeamRole.PEER_REVIEWER) is None


def test_the_visit_page_warns_when_a_members_vetting_ends_before_the_visit(personas, secure):
    ReviewerRecord.objects.create(user=personas.reviewer, vetting="Prison vetting", vetting_expires_on=days(40))
    add_to_team(browser_for(personas.admin), secure, personas.reviewer, TeamRole.PEER_REVIEWER)
    plan(secure, days(60))  # the date moves after the team is chosen

    page = text(browser_for(personas.admin).get(secure.url("visit")))

    assert "Vetting to check before the visit" in page
    assert f"{personas.reviewer}'s vetting expires on" in page and "before the visit on" in page
    assert table(browser_for(personas.admin).get(secure.url("visit")), "Review team")

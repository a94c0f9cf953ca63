"""Waiting for you: every home page lists what needs the person now, each with a sentence, a link to
the page where they act and a due date when there is one, by due date; nothing another person should
not see, and nothing of another service."""

import datetime

import pytest
from django.urls import reverse

from reviews.models import (
    Action,
    CycleState,
    MemberParticipation,
)
from reviews.peer.models import InvitationStatus, InviteeKind, ProposedDate, VisitInvitation
from tests.factories import (
    CycleFactory,
    ServiceFactory,
)
from tests.support.pages import section
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import PeerReview

HOME = "/"


def waiting_for(user):
    """The person's Waiting for you items, as the home page lists them."""
    response = browser_for(user).get(HOME)
    assert response.status_code == 200
    return response.context["waiting"]


def texts(items):
    return " | ".join(item.text for item in items)


def item_about(items, words):
    [found] = [item for item in items if words in item.text]
    return found


# --- the self-assessment and the questionnaire ------------------------------------------------


@pytest.fixture
def open_review(personas, today):
    review = PeerReview(personas, self_assessment_due=today + datetime.timedelta(days=10))
    review.self_rate("V1.1", "Met")
    review.self_rate("V1.3", "Partly met")
    return review


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_staff_and_lead_are_asked_for_the_answers_with_how_many_are_given_and_the_due_date(personas, open_review,
                                                                                         persona, today):
    [item] = waiting_for(getattr(personas, persona))

    assert item.text == "The self-assessment of Kestrel Wing is open: 2 of 8 questions answered."
    assert item.link == reverse("reviews:hub", args=[open_review.cycle.pk, "staff"])
    assert item.due == today + datetime.timedelta(days=10) and not item.overdue


def test_the_lead_is_asked_to_submit_once_every_answer_is_given_and_staff_are_not(personas, open_review):
    for code in ("V2.1", "V2.3", "V3.1", "V3.3", "V4.1", "V4.3"):
        open_review.self_rate(code, "Met")

    [item] = waiting_for(personas.lead)

    assert "All 8 questions of the self-assessment of Kestrel Wing are answered: check the answers and submit it." \
        == item.text
    assert item.link == reverse("reviews:answer-step", args=[open_review.cycle.pk, "staff", "check"])
    assert waiting_for(personas.staff) == []


def test_a_member_is_asked_to_answer_the_questionnaire_until_they_have(personas, open_review):
    [item] = waiting_for(personas.member)
    assert item.link == reverse("reviews:questionnaire", args=[open_review.cycle.pk])
    assert "questionnaire of Kestrel Wing is open" in item.text
    assert "of 8" not in item.text  # nothing of the staff's answers

    MemberParticipation.objects.create(cycle=open_review.cycle, user=personas.member)

    assert waiting_for(personas.member) == []


@pytest.mark.parametrize("persona", ["reviewer", "lived_experience_reviewer", "lead_reviewer", "commissioner",
                                     "outsider", "admin"])
def test_nothing_of_an_open_self_assessment_waits_for_anyone_else(personas, open_review, persona):
    assert waiting_for(getattr(personas, persona)) == []


def test_when_nothing_waits_the_home_page_says_so(personas, client_for):
    response = client_for(personas.outsider).get(HOME)

    assert "Waiting for you Nothing is waiting for you." in section(response, "waiting-heading")


def test_an_overdue_due_date_is_said_in_words(personas, client_for, today):
    PeerReview(personas, self_assessment_due=today - datetime.timedelta(days=3))

    waiting = section(client_for(personas.lead).get(HOME), "waiting-heading")

    assert "Overdue was due" in waiting
    assert (today - datetime.timedelta(days=3)).strftime("%B %Y") in waiting


# --- the visit ------------------------------------------------------------------------------


@pytest.fixture
def visit_review(personas):
    return PeerReview(personas).to(CycleState.VISIT)


@pytest.mark.parametrize("persona", ["reviewer", "lived_experience_reviewer", "lead_reviewer"])
def test_each_reviewer_is_asked_for_their_ratings_until_submitted(personas, visit_review, persona):
    user = getattr(personas, persona)
    [item] = waiting_for(user)
    assert item.text == "Your ratings for Kestrel Wing are not submitted yet."
    assert item.link == reverse("reviews:review", args=[visit_review.cycle.pk])

    visit_review.rate_everything(user)

    assert "not submitted yet" not in texts(waiting_for(user))


def test_the_lead_reviewer_is_asked_to_agree_once_every_reviewer_has_submitted(personas, visit_review):
    visit_review.rate_everything(personas.lead_reviewer)
    visit_review.rate_everything(personas.reviewer)
    assert waiting_for(personas.lead_reviewer) == []

    visit_review.rate_everything(personas.lived_experience_reviewer)

    [item] = waiting_for(personas.lead_reviewer)
    assert "agree the ratings" in item.text
    assert item.link == reverse("reviews:agreement", args=[visit_review.cycle.pk])
    assert waiting_for(personas.reviewer) == []


@pytest.mark.parametrize("persona", ["lead", "staff", "member", "commissioner", "outsider"])
def test_the_service_and_others_never_get_the_reviewers_work(personas, visit_review, persona):
    visit_review.everyone_rates()

    assert "ratings" not in texts(waiting_for(getattr(personas, persona)))


def test_an_invitation_and_proposed_dates_wait_for_the_invited_and_lead_to_the_visit_page(personas, today):
    review = PeerReview(personas).submit_self_assessment().build_team(reviewer="peer_reviewer")
    visit = review.cycle.visit
    invitation = VisitInvitation.objects.create(visit=visit, user=personas.reviewer, kind=InviteeKind.TEAM)
    soon = today + datetime.timedelta(days=20)
    ProposedDate.objects.create(visit=visit, date=soon)
    ProposedDate.objects.create(visit=visit, date=soon + datetime.timedelta(days=7))

    items = waiting_for(personas.reviewer)

    invited = item_about(items, "You are invited to the peer-review visit of Kestrel Wing")
    dates = item_about(items, "Dates are proposed for the visit of Kestrel Wing")
    assert invited.link == dates.link == reverse("reviews:visit", args=[review.cycle.pk])
    assert dates.due == soon
    assert waiting_for(personas.lived_experience_reviewer) == []

    invitation.status, invitation.reason = InvitationStatus.DECLINED, "I am away."
    invitation.save()
    assert waiting_for(personas.reviewer) == []


# --- the draft report -------------------------------------------------------------------------


@pytest.fixture
def draft_review(personas):
    return PeerReview(personas).to(CycleState.REPORT_DRAFT)


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_the_service_is_asked_to_check_the_draft_report(personas, draft_review, persona):
    item = item_about(waiting_for(getattr(personas, persona)), "The draft report of Kestrel Wing is ready")

    assert item.link == reverse("reviews:accuracy", args=[draft_review.cycle.pk])


def test_a_member_never_hears_of_the_draft_report(personas, draft_review):
    assert "draft" not in texts(waiting_for(personas.member)).lower()


def test_the_lead_reviewer_answers_comments_then_recommends(personas, draft_review):
    comment = draft_review.comment(code="V1.1")

    item = item_about(waiting_for(personas.lead_reviewer), "1 comment to answer")
    assert item.link == reverse("reviews:accuracy", args=[draft_review.cycle.pk])
    assert "recommend" not in texts(waiting_for(personas.lead_reviewer))
    for persona in ("reviewer", "lead", "staff", "member"):
        assert "to answer" not in texts(waiting_for(getattr(personas, persona)))

    draft_review.answer(comment)

    [item] = waiting_for(personas.lead_reviewer)
    assert item.text == "Every comment on the draft report of Kestrel Wing is answered: recommend an outcome."
    assert item.link == reverse("reviews:decision", args=[draft_review.cycle.pk])


def test_the_lead_gives_feedback_on_the_visit_once(personas, draft_review):
    item = item_about(waiting_for(personas.lead), "Tell the network how the peer-review visit of Kestrel Wing went")
    assert item.link == reverse("reviews:feedback", args=[draft_review.cycle.pk])
    assert "feedback" not in texts(waiting_for(personas.staff)).lower()


def test_actions_due_within_30_days_or_overdue_wait_for_the_service_once_reported(personas, today):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    late = review.action("Start a night-staff reflective group.", due_date=today - datetime.timedelta(days=2))
    review.action("Review the buddy scheme.", due_date=today + datetime.timedelta(days=10))
    review.action("Repaint the garden room.", due_date=today + datetime.timedelta(days=60))
    assert "Action" not in texts(waiting_for(personas.lead))  # before the draft, the service has no plan yet

    review.send_draft()
    items = [item for item in waiting_for(personas.lead) if item.text.startswith("Action")]

    assert [item.text for item in items] == [
        "Action for Kestrel Wing (Deputy manager): Start a night-staff reflective group.",
        "Action for Kestrel Wing (Deputy manager): Review the buddy scheme.",
    ]
    assert items[0].overdue and items[0].link == reverse("reviews:action", args=[review.cycle.pk, late.pk])
    assert not items[1].overdue
    Action.objects.filter(pk=late.pk).update(status="done")
    assert "night-staff" not in texts(waiting_for(personas.staff))


def test_another_services_reviews_never_appear(personas, draft_review, today):
    elm = CycleFactory(service=personas.other, edition=draft_review.cycle.edition, state=CycleState.REPORT_DRAFT)
    Action.objects.create(cycle=elm, description="Elm House's action.", owner="Manager",
                          due_date=today - datetime.timedelta(days=1))
    CycleFactory(service=ServiceFactory(name="Birch Court"), edition=draft_review.cycle.edition)

    for persona in PERSONA_NAMES:
        if persona != "admin":
            found = texts(waiting_for(getattr(personas, persona)))
            assert "Elm House" not in found and "Birch Court" not in found, persona

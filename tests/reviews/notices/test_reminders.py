"""Reminders while a review is under way, each to the right people, once."""

import pytest
from django.core import mail

from assurance.models import RoleKind
from reviews.cycles.models import CycleState
from reviews.models import Visit
from reviews.notices.models import NoticeOptOut
from tests.factories import RoleFactory, UserFactory
from tests.reviews.notices.helpers import days, emails_to, everyone_told, html_of, run, subjects_to
from tests.support.personas import person
from tests.support.reviews import PeerReview, home_cycle

pytestmark = pytest.mark.django_db

REVIEWERS = ("reviewer", "lived_experience_reviewer", "lead_reviewer")


def emails_of(personas, *names):
    return sorted(getattr(personas, name).email for name in names)


# --- the self-assessment ---------------------------------------------------------------------


def test_self_assessment_due_soon_told_to_lead_and_staff_once(personas):
    today = days(0)
    home_cycle(personas, self_assessment_due=days(10))
    other_lead = person("elm-lead", RoleKind.SERVICE_LEAD, personas.other)

    printed = run(today)
    first = list(mail.outbox)
    again = run(today)

    assert everyone_told() == emails_of(personas, "lead", "staff")
    assert "2 emails due on" in printed and "to 2 people: 2 sent, 0 failed" in printed
    [email] = emails_to(personas.lead)
    assert email.subject == "Kestrel Wing: the self-assessment is due soon"
    due_in_words = f"{days(10).day} {days(10):%B %Y}"
    assert f"The self-assessment of Kestrel Wing is due on {due_in_words}." in email.body
    assert "/cycles/" in email.body and "Choose which emails you get:" in email.body
    assert due_in_words in html_of(email) and "<a href=" in html_of(email)
    assert "Nothing to send" in again
    assert mail.outbox == first
    assert emails_to(other_lead) == []


def test_self_assessment_reminded_again_when_overdue_and_when_the_date_moves(personas):
    cycle = home_cycle(personas, self_assessment_due=days(10))
    run(days(0))
    run(days(11))  # overdue now
    type(cycle).objects.filter(pk=cycle.pk).update(self_assessment_due=days(40))
    run(days(12))  # moved well away: nothing
    run(days(30))  # due soon again, on the new date

    assert subjects_to(personas.lead) == [
        "Kestrel Wing: the self-assessment is due soon",
        "Kestrel Wing: the self-assessment is overdue",
        "Kestrel Wing: the self-assessment is due soon",
    ]
    assert "was due on" in emails_to(personas.lead)[1].body


def test_self_assessment_far_off_or_submitted_reminds_nobody(personas):
    home_cycle(personas, self_assessment_due=days(30))
    run(days(0))
    assert mail.outbox == []


# --- ratings ------------------------------------------------------------------------------------


def test_ratings_due_after_the_visit_told_to_reviewers_who_have_not_submitted(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    Visit.objects.filter(cycle=review.cycle).update(date=days(-1))
    review.rate_everything(personas.reviewer)  # submitted

    run(days(0))
    run(days(0))
    run(days(8))  # a week on: once more

    assert everyone_told() == sorted(2 * emails_of(personas, "lived_experience_reviewer", "lead_reviewer"))
    [first, second] = emails_to(personas.lead_reviewer)
    assert first.subject == "Kestrel Wing: your ratings are still to submit"
    assert f"/cycles/{review.cycle.pk}/review/" in first.body


def test_ratings_not_due_before_the_visit(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    Visit.objects.filter(cycle=review.cycle).update(date=days(3))
    run(days(0))
    assert mail.outbox == []


# --- the draft report and comments on it --------------------------------------------------------


def test_draft_ready_told_to_lead_and_staff_never_to_members_or_commissioners(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)

    run()
    run()

    told = {message.to[0] for message in mail.outbox if "draft report is ready" in message.subject}
    assert told == {personas.lead.email, personas.staff.email}
    assert emails_to(personas.member) == [] and emails_to(personas.commissioner) == []
    [email] = emails_to(personas.staff)
    assert f"/cycles/{review.cycle.pk}/report/" in email.body and f"/cycles/{review.cycle.pk}/accuracy/" in email.body


def test_comments_waiting_told_to_the_lead_reviewer_once_per_new_comment(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    comment = review.comment(code="V1.1")

    run()
    run()
    review.answer(comment)
    run()  # answered: nothing waits
    review.comment("The second comment.", code="V1.2")
    run()

    waiting = [s for s in subjects_to(personas.lead_reviewer) if "comments on the draft report" in s]
    assert waiting == ["Kestrel Wing: comments on the draft report wait for your answer"] * 2
    assert not [m for m in mail.outbox if "comments on the draft" in m.subject and m.to != [personas.lead_reviewer.email]]
    assert "1 comment waits for your answer" in emails_to(personas.lead_reviewer)[-1].body


# --- opting out, and other services --------------------------------------------------------------


def test_a_reminder_turned_off_is_not_sent_but_essential_notices_are(personas):
    NoticeOptOut.objects.create(user=personas.lead, kind="self_assessment_due")
    NoticeOptOut.objects.create(user=personas.lead, kind="decision")  # essential: cannot be turned off
    review = PeerReview(personas, self_assessment_due=days(5))

    run()
    review.to(CycleState.FINAL)
    run()

    assert "Kestrel Wing: the self-assessment is due soon" not in subjects_to(personas.lead)
    assert "Kestrel Wing: the self-assessment is due soon" in subjects_to(personas.staff)
    assert "Kestrel Wing: the review's decision: Awarded" in subjects_to(personas.lead)


def test_people_of_another_service_or_without_an_address_get_nothing(personas):
    elm = [person("elm-lead", RoleKind.SERVICE_LEAD, personas.other), person("elm-staff", RoleKind.STAFF, personas.other),
           person("elm-commissioner", RoleKind.COMMISSIONER, personas.other)]
    silent = UserFactory(username="silent", email="")
    RoleFactory(user=silent, kind=RoleKind.STAFF, service=personas.home)
    review = PeerReview(personas, self_assessment_due=days(5))
    run()
    review.to(CycleState.REPORT_DRAFT)
    review.answer(review.comment(code="V1.1"))
    run()
    review.to(CycleState.FINAL)
    run()

    assert mail.outbox, "the home service's people were told"
    for someone in elm:
        assert emails_to(someone) == []
    assert all(message.to != [""] for message in mail.outbox)

"""Notices once a review is decided: the decision, the final report, overdue actions and an
award that expires soon."""

import pytest
from django.core import mail
from django.utils import timezone

from reviews.cycles.models import CycleState
from reviews.models import Action, Decision
from tests.factories import ReportFactory
from tests.reviews.notices.helpers import days, emails_to, html_of, run, subjects_to
from tests.support.personas import person
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.django_db

DECIDED = "Kestrel Wing: the review's decision: Awarded"
REPORT_READY = "Kestrel Wing: the final report is ready to read"


def final_report(review, version=1):
    return ReportFactory(cycle=review.cycle, is_final=True, version=version, issued_at=timezone.now())


def test_commissioners_hear_nothing_before_the_final_report(personas):
    review = PeerReview(personas, self_assessment_due=days(5))
    run()
    review.to(CycleState.VISIT)
    review.to(CycleState.REPORT_DRAFT)
    review.answer(review.comment(code="V1.1"))
    review.action(due_date=days(5))
    Action.objects.update(due_date=days(-3))
    run()

    assert mail.outbox, "the service and the team were told"
    assert emails_to(personas.commissioner) == []
    assert emails_to(personas.member) == []


def test_decision_told_to_lead_team_and_commissioners_once(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=review.cycle).update(valid_until=days(3 * 365))

    run()
    run()

    told = sorted(message.to[0] for message in mail.outbox if message.subject == DECIDED)
    assert told == sorted(p.email for p in (personas.lead, personas.reviewer, personas.lived_experience_reviewer,
                                            personas.lead_reviewer, personas.commissioner))
    [email] = [m for m in emails_to(personas.lead) if m.subject == DECIDED]
    valid_until = days(3 * 365)
    assert "The peer review of Kestrel Wing is decided: Awarded." in email.body
    assert f"The award is valid until {valid_until.day} {valid_until:%B %Y}." in email.body
    assert "<strong>Awarded</strong>" in html_of(email)
    assert emails_to(personas.member) == [] and emails_to(personas.outsider) == []


def test_decision_long_ago_is_not_told_again(personas):
    PeerReview(personas).to(CycleState.FINAL)
    run(days(30))
    assert DECIDED not in subjects_to(personas.lead)


def test_final_report_told_to_commissioners_and_administrators_each_version(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    other_admin = person("admin2")
    final_report(review)

    run()
    run()
    final_report(review, version=2)
    run()

    for someone in (personas.commissioner, personas.admin):
        assert [s for s in subjects_to(someone) if s == REPORT_READY] == [REPORT_READY, REPORT_READY]
    assert "Version 2 of the final report" in emails_to(personas.admin)[-1].body
    for someone in (personas.lead, personas.staff, personas.member, personas.reviewer, other_admin):
        assert REPORT_READY not in subjects_to(someone)


def test_overdue_actions_listed_to_the_lead_once_per_set(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    first = review.action("Train night staff in de-escalation.", due_date=days(10))
    second = review.action("Hold a community meeting each week.", due_date=days(10))
    review.to(CycleState.FINAL)
    Action.objects.filter(pk=first.pk).update(due_date=days(-2))

    run()
    run()
    Action.objects.filter(pk=second.pk).update(due_date=days(-1))
    run()

    overdue = [m for m in emails_to(personas.lead) if m.subject == "Kestrel Wing: actions in your plan are overdue"]
    assert len(overdue) == 2
    assert "Train night staff in de-escalation." in overdue[0].body
    assert "Hold a community meeting each week." not in overdue[0].body
    assert "2 actions in the plan of Kestrel Wing are past their due date" in overdue[1].body
    assert "Hold a community meeting each week." in html_of(overdue[1])
    for someone in (personas.staff, personas.member, personas.commissioner, personas.reviewer):
        assert "Kestrel Wing: actions in your plan are overdue" not in subjects_to(someone)


def test_award_expiring_told_to_lead_and_commissioners_and_again_in_its_last_month(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=review.cycle).update(valid_until=days(200))
    run(days(20))  # the decision is told (long ago by now); the award is far from expiring
    mail.outbox = []

    run(days(130))  # 70 days left
    run(days(131))
    run(days(175))  # 25 days left

    expiring = "Kestrel Wing: the award expires soon"
    for someone in (personas.lead, personas.commissioner):
        assert subjects_to(someone) == [expiring, expiring]
    [soon, last_month] = emails_to(personas.lead)
    expiry = days(200)
    assert f"expires on {expiry.day} {expiry:%B %Y}, in 10 weeks" in soon.body
    assert "in 4 weeks" in last_month.body
    for someone in (personas.staff, personas.member, personas.reviewer):
        assert emails_to(someone) == []


def test_an_award_replaced_by_a_later_decision_is_not_reminded(personas):
    review = PeerReview(personas).to(CycleState.CLOSED)
    Decision.objects.filter(cycle=review.cycle).update(valid_until=days(60))
    later = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=later.cycle).update(valid_until=days(3 * 365))
    mail.outbox = []

    run(days(20))

    assert "Kestrel Wing: the award expires soon" not in subjects_to(personas.lead)

"""The command cron runs: a dry run lists and changes nothing, a real run sends through the task
worker, a failed email is tried again, and finding what is due costs the same for 3 or 30 reviews."""

import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assurance.models import RoleKind
from reviews.cycles.models import CycleState
from reviews.models import FindingKind
from reviews.notices.due import due_notices, occasions
from reviews.notices.models import SentNotice
from tests.factories import (
    AccuracyCommentFactory,
    ActionFactory,
    CycleFactory,
    DecisionFactory,
    ReportFactory,
    RoleFactory,
    ServiceFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
)
from tests.reviews.notices.helpers import days, run
from tests.support.reviews import PeerReview, home_cycle

pytestmark = pytest.mark.django_db


def test_dry_run_lists_who_would_get_what_and_changes_nothing(personas):
    home_cycle(personas, self_assessment_due=days(3))

    printed = run(None, "--dry-run")

    assert f"{personas.lead.email} ({personas.lead}): Kestrel Wing: the self-assessment is due soon" in printed
    assert f"{personas.staff.email} ({personas.staff})" in printed
    assert "Dry run: 2 emails due on" in printed and "to 2 people; nothing sent." in printed
    assert mail.outbox == [] and not SentNotice.objects.exists()
    assert "2 sent" in run()


def test_today_must_be_a_date():
    with pytest.raises(CommandError, match="--today takes a date such as 2026-12-02"):
        call_command("send_reminders", "--today", "tomorrow")


def test_a_failed_email_is_tried_again_on_the_next_run(personas, monkeypatch):
    home_cycle(personas, self_assessment_due=days(3))
    send = EmailMultiAlternatives.send
    failing = {personas.staff.email}

    def flaky(message, *args, **kwargs):
        if set(message.to) & failing:
            raise smtplib.SMTPServerDisconnected("The mail server went away.")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    first = run()
    failing.clear()
    second = run()
    third = run()

    assert "1 sent, 1 failed" in first
    assert "1 sent, 0 failed" in second
    assert "Nothing to send" in third
    assert sorted(message.to[0] for message in mail.outbox) == sorted([personas.lead.email, personas.staff.email])
    assert SentNotice.objects.count() == 2


def test_urgent_concern_goes_through_the_one_sending_path_once(personas, django_capture_on_commit_callbacks):
    review = PeerReview(personas).to(CycleState.VISIT)

    with django_capture_on_commit_callbacks(execute=True):
        finding = review.finding(FindingKind.URGENT, "Night checks are skipped.")

    [email] = mail.outbox
    assert email.to == [personas.admin.email]
    assert "Night checks are skipped." in email.body and "Night checks are skipped." in email.alternatives[0][0]
    assert SentNotice.objects.filter(user=personas.admin, kind="urgent_concern", key=f"urgent:{finding.pk}").exists()


# --- bounded queries ---------------------------------------------------------------------------


def network_of(size, edition):
    """`size` services, each with a lead, staff, a member and a commissioner, and a review at one of
    the stages that has something to tell."""
    today = days(0)
    for n in range(size):
        service = ServiceFactory()
        for kind in (RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.COMMISSIONER):
            RoleFactory(user=UserFactory(), kind=kind, service=service)
        stage = n % 5
        if stage == 0:
            CycleFactory(service=service, edition=edition, self_assessment_due=days(5))
            continue
        state = [None, CycleState.VISIT, CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.FINAL][stage]
        cycle = CycleFactory(service=service, edition=edition, state=state)
        visit = VisitFactory(cycle=cycle, date=days(-2))
        TeamMemberFactory(visit=visit, role="lead_reviewer")
        TeamMemberFactory(visit=visit)
        if state == CycleState.REPORT_DRAFT:
            AccuracyCommentFactory(cycle=cycle)
        if state == CycleState.FINAL:
            DecisionFactory(cycle=cycle, valid_until=days(40 if stage == 4 else 1000))
            ReportFactory(cycle=cycle, is_final=True, version=1, issued_at=timezone.now())
            ActionFactory(cycle=cycle, due_date=days(-1))
    return today


def queries_of(find, today):
    with CaptureQueriesContext(connection) as queries:
        found = find(today)
    return len(queries.captured_queries), found


def test_finding_what_is_due_costs_the_same_whatever_the_network(personas):
    """Five reviews (one at each stage with something to tell), then thirty."""
    edition = home_cycle(personas).edition
    today = network_of(5, edition)
    small = queries_of(occasions, today)[0], queries_of(due_notices, today)[0]
    network_of(25, edition)
    found_count, found = queries_of(occasions, today)
    due_count, due = queries_of(due_notices, today)

    assert (found_count, due_count) == small
    assert due_count <= 40
    kinds = {notice.kind for _person, notice in due.deliveries}
    assert kinds == {"self_assessment_due", "ratings_due", "draft_ready", "comments_waiting", "decision",
                     "report_ready", "actions_overdue", "award_expiring"}
    assert len({person.pk for person, _notice in found}) > 80


# Outside a test transaction: the worker closes its database connection between tasks, as a
# long-running process should, which on PostgreSQL would end the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_task_worker_sends_them(personas):
    home_cycle(personas, self_assessment_due=days(3))

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        printed = run()
        queued = list(mail.outbox)
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())

    assert "2 emails due on" in printed and "to 2 people: queued for the task worker." in printed
    assert queued == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted([personas.lead.email, personas.staff.email])

"""Finds every reminder and notice due and has the task worker send them: run it daily (or
hourly) from cron or a systemd timer (README, "Reminders"). Each notice is sent once, so running
it again sends nothing new; a notice that failed to send is tried again on the next run."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone

from reviews.notices.due import due_notices
from reviews.notices.kinds import BY_CODE
from reviews.notices.tasks import send_due_notices
from reviews.templatetags.review_tags import long_date


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today takes a date such as 2026-12-02, not {value!r}") from error


def _emails(count):
    return f"{count} email{'' if count == 1 else 's'}"


def _people(count):
    return f"{count} {'person' if count == 1 else 'people'}"


class Command(BaseCommand):
    help = "Send the reminders and notices due (self-assessment due, ratings due, drafts, decisions, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="the day to find reminders for, as 2026-12-02 (for testing)")
        parser.add_argument("--dry-run", action="store_true", help="list who would get what, and send nothing")

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.localdate()
        due = due_notices(today)
        found = f"{_emails(len(due.deliveries))} due on {long_date(today)} to {_people(len(due.people))}"
        if dry_run:
            for person, notice in due.deliveries:
                self.stdout.write(f"  {person.email} ({person}): {notice.subject} [{BY_CODE[notice.kind].label}]")
            self.stdout.write(f"Dry run: {found}; nothing sent.")
            return
        if not due.deliveries:
            self.stdout.write(f"Nothing to send on {long_date(today)}: every notice due has gone.")
            return
        result = send_due_notices.enqueue(today.isoformat())
        if result.is_finished and result.status == TaskResultStatus.SUCCESSFUL:
            sent = result.return_value
            self.stdout.write(f"{found}: {sent['sent']} sent, {sent['failed']} failed (tried again next run).")
        else:
            self.stdout.write(f"{found}: queued for the task worker.")

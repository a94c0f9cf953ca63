"""manage.py apply_retention [--years N] [--today YYYY-MM-DD] [--dry-run]: deletes the evidence
files of review cycles closed more than N years ago (reviews/privacy/retention.py). Run it
daily (docs/data-protection.md); running it again removes nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format

from reviews.privacy.retention import apply_retention, retention_years


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today {text!r}: give a date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Deletes evidence files kept past the retention period after their review closed; the records stay."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, help="years to keep files after a cycle closes "
                            "(default: ASSURANCE_EVIDENCE_RETENTION_YEARS)")
        parser.add_argument("--today", help="the day to count from, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed, remove nothing")

    def handle(self, *args, years, today, dry_run, **options):
        years = retention_years() if years is None else years
        if years < 1:
            raise CommandError(f"--years {years}: keep files for at least one year.")
        day = _day(today) if today else None
        removals = apply_retention(years=years, today=day, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for removal in removals:
            item = removal.evidence
            self.stdout.write(f"{verb} evidence #{item.pk} {item.title!r} ({item.original_name or 'no name'}) "
                              f"of cycle #{item.cycle_id}, closed {date_format(removal.closed_on)}")
        count = len(removals)
        self.stdout.write(f"{verb} {count} evidence file{'s' if count != 1 else ''} of cycles closed "
                          f"more than {years} year{'s' if years != 1 else ''} ago.")

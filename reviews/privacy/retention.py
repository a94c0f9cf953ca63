"""The retention policy: evidence files are kept for a number of years after their review cycle
closes (settings.EVIDENCE_RETENTION_YEARS), then deleted from storage. The evidence record stays,
saying when and why its file was removed, and the audit log records each removal."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reviews.models import CycleEvent, Evidence


def retention_years():
    return settings.EVIDENCE_RETENTION_YEARS


def years_before(day, years):
    """The same day `years` earlier (29 February becomes the 28th in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Removal:
    evidence: object
    closed_on: datetime.date
    years: int

    @property
    def reason(self):
        return f"Retention policy: kept {self.years} years after the review closed on {self.closed_on.isoformat()}"


def closed_cycles(before):
    """{cycle id: the day it closed} for closed cycles that closed on or before `before`."""
    closings = (CycleEvent.objects.filter(to_state="closed", cycle__state="closed").values("cycle_id")
                .annotate(closed_at=Max("at")))
    return {row["cycle_id"]: timezone.localdate(row["closed_at"]) for row in closings
            if timezone.localdate(row["closed_at"]) <= before}


def due_for_removal(*, years, today):
    """The evidence files past their retention, oldest closing first."""
    closed = closed_cycles(years_before(today, years))
    files = (Evidence.objects.filter(cycle_id__in=closed, kind="file", file_removed_at__isnull=True)
             .exclude(file="").order_by("cycle_id", "pk"))
    return [Removal(item, closed[item.cycle_id], years) for item in files]


@transaction.atomic
def remove_file(removal):
    """Deletes one evidence file and records why (the save is what the audit log records). The
    file is deleted inside the transaction: if storage refuses, the record is left as it was."""
    item = type(removal.evidence).objects.select_for_update().get(pk=removal.evidence.pk)
    if item.file_removed_at is not None or not item.file:
        return False
    name = item.file.name
    item.file_removed_at = timezone.now()
    item.file_removed_reason = removal.reason[:200]
    item.file = ""
    item.save(update_fields=["file", "file_removed_at", "file_removed_reason"])
    removal.evidence.file.storage.delete(name)
    return True


def apply_retention(*, years=None, today=None, dry_run=False):
    """Removes every evidence file past its retention; returns the removals (those due, if dry_run)."""
    years = retention_years() if years is None else years
    due = due_for_removal(years=years, today=today or timezone.localdate())
    if dry_run:
        return due
    return [removal for removal in due if remove_file(removal)]

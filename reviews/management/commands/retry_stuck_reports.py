"""Queues again the background reports whose worker died: a report still 'being built' after
STALE_AFTER_MINUTES (15) was left by a worker that was killed or whose host went away, since a job
that fails records its failure. Run it every quarter of an hour (deploy/'s retry-reports timer,
README "Running in production"); running it again changes nothing new. The dead run is recorded as failed and a
new one is queued for `db_worker`; the dead attempt stored no file, so nothing half-written is kept."""

from django.core.management.base import BaseCommand, CommandError

from reviews.reports.services import STALE_AFTER_MINUTES, retry_stuck_report, stuck_reports


def _minutes(value):
    try:
        minutes = int(value)
    except ValueError:
        minutes = -1
    if minutes < 0:
        raise CommandError(f"--older-than-minutes takes a whole number of minutes, 0 or more, not {value!r}")
    return minutes


class Command(BaseCommand):
    help = "Queue again the background reports whose worker stopped while building them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes", type=_minutes, default=STALE_AFTER_MINUTES,
            help=f"how long a report must have been 'being built' to count as stuck (default {STALE_AFTER_MINUTES})",
        )
        parser.add_argument("--dry-run", action="store_true", help="list the stuck reports and queue nothing")

    def handle(self, *args, older_than_minutes=STALE_AFTER_MINUTES, dry_run=False, **options):
        stuck = list(stuck_reports(older_than_minutes).values_list("pk", "kind", "started_at"))
        if not stuck:
            self.stdout.write(f"No report has been being built for more than {older_than_minutes} minutes.")
            return
        queued = 0
        for pk, kind, started_at in stuck:
            since = started_at.strftime("%Y-%m-%d %H:%M")
            if dry_run:
                self.stdout.write(f"Stuck: report {pk} ({kind}), being built since {since}.")
            elif retry_stuck_report(pk, older_than_minutes=older_than_minutes) is not None:
                queued += 1
                self.stdout.write(f"Queued again: report {pk} ({kind}), stuck since {since}.")
        if not dry_run:
            self.stdout.write(f"{queued} report{'' if queued == 1 else 's'} queued again for the report worker.")

"""manage.py restore BACKUP: a backup into an empty database and storage, then checked."""

from django.core.management.base import BaseCommand, CommandError

from assurance.backups import BackupError, RestoreIncomplete
from assurance.backups.restore import restore_backup


class Command(BaseCommand):
    help = ("Restores a backup folder into the configured database and storage, which must both be empty, "
            "then verifies every file, every table's rows and every stored report's and evidence file's hash.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup's folder, e.g. var/backups/2026-12-02T23-30-00Z")

    def handle(self, *args, backup, **options):
        try:
            restored = restore_backup(backup)
        except RestoreIncomplete as error:
            raise CommandError(str(error)) from error
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(f"Restored {backup} (taken {restored.manifest['taken_at']}).")
        report(self.stdout, restored.outcomes, restored.notes)
        if restored.problems:
            raise CommandError(f"The restored backup does not verify: {len(restored.problems)} problems, listed above.")


def report(stdout, outcomes, notes=()):
    """One line per check, then every problem by name."""
    for outcome in outcomes:
        stdout.write(f"  {outcome.line()}")
    for outcome in outcomes:
        for problem in outcome.problems:
            stdout.write(f"  NOT VERIFIED: {problem}")
    for note in notes:
        stdout.write(f"  Note: {note}")

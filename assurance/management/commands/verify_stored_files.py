"""manage.py verify_stored_files: every stored final report and evidence file against its hash."""

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from assurance.backups import BackupError
from assurance.backups.database import reach
from assurance.backups.verify import verify_stored_records
from assurance.management.commands.restore import report


class Command(BaseCommand):
    help = ("Checks the live site's stored files: each final report's file and data against their recorded "
            "hashes, and each evidence file against its SHA-256. Exits non-zero naming each that does not verify.")

    def handle(self, *args, **options):
        try:
            reach(connection)
        except BackupError as error:
            raise CommandError(str(error)) from error
        outcomes = verify_stored_records(storages["default"])
        report(self.stdout, outcomes)
        problems = sum(len(outcome.problems) for outcome in outcomes)
        if problems:
            raise CommandError(f"{problems} stored records do not verify, listed above.")
        self.stdout.write("Every stored file verifies.")

"""manage.py backup [--output DIR]: the database and every stored file into one dated folder."""

from django.core.management.base import BaseCommand, CommandError

from assurance.backups import BackupError
from assurance.backups.make import default_folder, make_backup


class Command(BaseCommand):
    help = ("Backs up the database and every stored file into a folder named by the date and time, under "
            "--output, BACKUP_DIR or var/backups/. Safe while the site runs.")

    def add_arguments(self, parser):
        parser.add_argument("--output", help=f"the folder that holds the backups (default {default_folder()})")

    def handle(self, *args, output=None, **options):
        try:
            backup = make_backup(output)
        except BackupError as error:
            raise CommandError(f"No backup was made: {error}") from error
        manifest, counts = backup.manifest, backup.manifest["counts"]
        self.stdout.write(f"Backup written to {backup.path}")
        self.stdout.write(f"  database: {manifest['database']['file']} ({_size(manifest['database']['size'])}, "
                          f"{counts['tables']} tables, {counts['rows']} rows)")
        self.stdout.write(f"  files: {counts['files']} ({_size(counts['file_bytes'])})")
        self.stdout.write(f"  taken in {manifest['seconds']} s")
        for name in manifest["vanished_while_copying"]:
            self.stdout.write(f"  deleted while the backup ran, so not in it: {name}")


def _size(count):
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} bytes"

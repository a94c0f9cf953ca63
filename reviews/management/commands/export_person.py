"""manage.py export_person USERNAME_OR_EMAIL --output FILE.json|FILE.zip: everything held about a
person, for their access request (reviews/privacy/exporting.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.privacy.exporting import write_export
from reviews.privacy.services import PrivacyError, find_person


class Command(BaseCommand):
    help = "Writes everything held about a person to a JSON file, or a zip holding it."

    def add_arguments(self, parser):
        parser.add_argument("person", help="their username or email")
        parser.add_argument("--output", required=True, help="the file to write: ending .json or .zip")

    def handle(self, *args, person, output, **options):
        path = Path(output)
        if path.suffix.lower() not in {".json", ".zip"}:
            raise CommandError(f"{output}: the output file must end in .json or .zip.")
        if not path.parent.is_dir():
            raise CommandError(f"{output}: the folder {path.parent} does not exist.")
        try:
            user = find_person(person)
        except PrivacyError as error:
            raise CommandError(str(error)) from error
        write_export(user, path)
        self.stdout.write(self.style.SUCCESS(f"Wrote everything held about {user.username} to {path}."))

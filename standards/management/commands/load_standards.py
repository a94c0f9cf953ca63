from django.core.management.base import BaseCommand, CommandError

from standards.files import StandardsFileError, read_standards_file
from standards.services import EditionInUse, load_standards


class Command(BaseCommand):
    help = (
        "Load standards editions from YAML files. Every file is checked before anything is written; "
        "if any file has a problem, nothing changes and each problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="standards files (YAML)")

    def handle(self, *args, paths, **options):
        specs, problems = [], []
        for path in paths:
            try:
                specs.append(read_standards_file(path))
            except StandardsFileError as error:
                problems.extend(error.problems)
        if problems:
            raise CommandError(self._describe(problems))
        try:
            outcomes = load_standards(specs)
        except StandardsFileError as error:
            raise CommandError(self._describe(error.problems)) from None
        except EditionInUse as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        for outcome in outcomes:
            self.stdout.write(str(outcome))

    @staticmethod
    def _describe(problems):
        count = len(problems)
        heading = f"Found {count} problem{'s' if count != 1 else ''}; nothing was changed."
        return "\n".join([heading, *(str(problem) for problem in problems)])

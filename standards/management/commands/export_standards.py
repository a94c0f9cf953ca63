from django.core.management.base import BaseCommand, CommandError

from standards.files import dump_standards
from standards.models import Edition
from standards.services import edition_as_data


class Command(BaseCommand):
    help = "Write an edition as a standards file (YAML), in the format load_standards reads."

    def add_arguments(self, parser):
        parser.add_argument("framework", help="framework slug, e.g. relational-practice-standards")
        parser.add_argument("version", help="edition version, e.g. 2026.1")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, framework, version, output=None, **options):
        edition = Edition.objects.select_related("framework").filter(framework__slug=framework, version=version).first()
        if edition is None:
            known = ", ".join(
                f"{e.framework.slug} {e.version}" for e in Edition.objects.select_related("framework")
            ) or "none"
            raise CommandError(f"No edition {version} of framework {framework!r}. Known editions: {known}.")
        text = dump_standards(edition_as_data(edition))
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stdout.write(f"Wrote {edition} to {output}")
        else:
            self.stdout.write(text, ending="")

from pathlib import Path

from django.core.management.base import BaseCommand

from reviews.disclosure import policy_in_words


class Command(BaseCommand):
    help = "Print the disclosure policy (who sees what, when) as Markdown, or write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="write to this file (docs/disclosure.md) instead")

    def handle(self, *args, output=None, **options):
        text = policy_in_words()
        if output:
            Path(output).write_text(text)
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

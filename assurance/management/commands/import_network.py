"""manage.py import_network FILE [--apply] [--invite] [--reinvite]: imports organisations,
services, people and roles from a CSV or XLSX file (docs/onboarding.md). A dry run unless --apply;
any error in the file changes nothing and exits with status 1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assurance.onboarding import invitations
from assurance.onboarding.applying import check_file, import_file
from assurance.onboarding.reading import MAX_BYTES, FileProblem


class Command(BaseCommand):
    help = "Checks a network file (CSV or XLSX) and, with --apply, imports it: all of it, or nothing on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="Import the file (without it: a dry run that changes nothing).")
        parser.add_argument("--invite", action="store_true", help="Email the people the import adds a link to set their password.")
        parser.add_argument("--reinvite", action="store_true",
                            help="Email a new link to the people in the file who have never signed in.")

    def handle(self, *args, file, apply, invite, reinvite, **options):
        data = self.read(file)
        try:
            outcome = import_file(file.name, data) if apply else None
            plan = outcome.plan if outcome else check_file(file.name, data)
        except FileProblem as problem:
            raise CommandError(f"{file}: {problem} Nothing was changed.") from None
        for error in plan.sorted_errors():
            column = f" {error.column}:" if error.column else ""
            self.stderr.write(f"{file}:{error.line}:{column} {error.message}")
        self.stdout.write(self.summary(plan, applied=bool(outcome and outcome.applied)))
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} errors in {file}: nothing was changed.")
        if not apply:
            if invite or reinvite:
                self.stdout.write("Invitations are sent only with --apply.")
            return
        people = list(outcome.created_people) if invite else []
        if reinvite:
            people += invitations.never_signed_in(found[0] for found in plan.existing.people.values() if len(found) == 1)
        if people:
            sent = invitations.invite(people)
            self.stdout.write(f"Invitations sent: {sent.sent}." + (f" Not sent: {sent.failed}." if sent.failed else ""))
            if sent.failed:
                raise CommandError("Some invitations could not be sent: run again with --reinvite.")

    def read(self, file):
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file}: larger than 5 MB. Split it into smaller files. Nothing was changed.")
            return file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}).") from None

    def summary(self, plan, applied):
        lines = [
            ("Imported" if applied else "Dry run (nothing saved; --apply imports)") + f": {plan.rows} rows.",
            f"  Organisations to add: {len(plan.organisations)}",
            f"  Services to add: {len(plan.services)}",
            f"  People to add: {len(plan.people)}",
            f"  Roles to add: {len(plan.roles)} ({len(plan.roles_in_place)} already held, left as they are)",
            f"  Reviewer records to add: {len(plan.reviewer_records)}",
            f"  Regions to add: {len(plan.regions)}" + (f" ({', '.join(plan.regions)})" if plan.regions else ""),
            f"  Sectors to add: {len(plan.sectors)}" + (f" ({', '.join(plan.sectors)})" if plan.sectors else ""),
            f"  Changes to existing records: {len(plan.changes)}",
        ]
        lines += [f"    line {c.line}: {c.record}, {c.field}: {c.before} → {c.after}" for c in plan.changes]
        return "\n".join(lines)

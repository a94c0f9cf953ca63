import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError

from assurance.models import Service, User
from reviews.cycles.services import open_cycle
from reviews.errors import ReviewError
from standards.models import Edition, EditionStatus


class Command(BaseCommand):
    help = "Open a review cycle for a service against a published standards edition."

    def add_arguments(self, parser):
        parser.add_argument("service", help="the service's slug, e.g. kestrel-wing")
        parser.add_argument(
            "--edition", required=True, metavar="FRAMEWORK:VERSION",
            help="e.g. relational-practice-standards:2026.1",
        )
        parser.add_argument("--due", type=_date, metavar="YYYY-MM-DD", help="self-assessment due date")
        parser.add_argument("--visit-due", type=_date, metavar="YYYY-MM-DD", help="date the visit is due by")
        parser.add_argument("--by", metavar="USERNAME", help="the network administrator opening it")

    def handle(self, *args, service, edition, due=None, visit_due=None, by=None, **options):
        service_obj = Service.objects.filter(slug=service).first()
        if service_obj is None:
            raise CommandError(f"No service with the slug {service!r}.")
        framework, _colon, version = edition.partition(":")
        edition_obj = Edition.objects.filter(framework__slug=framework, version=version).select_related("framework").first()
        if edition_obj is None:
            published = ", ".join(
                f"{e.framework.slug}:{e.version}"
                for e in Edition.objects.filter(status=EditionStatus.PUBLISHED).select_related("framework")
            )
            raise CommandError(f"No edition {edition!r}. Published editions: {published or 'none'}.")
        opened_by = None
        if by:
            opened_by = User.objects.filter(username=by).first()
            if opened_by is None:
                raise CommandError(f"No person with the username {by!r}.")
        try:
            cycle = open_cycle(
                service=service_obj, edition=edition_obj, opened_by=opened_by,
                self_assessment_due=due, visit_due=visit_due,
            )
        except ReviewError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Opened review cycle {cycle.pk} for {service_obj} against {edition_obj}.")


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None

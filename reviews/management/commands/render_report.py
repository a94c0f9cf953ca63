import time

from django.core.management.base import BaseCommand, CommandError

from reviews.models import Cycle
from reviews.reports.build import BuiltReport, build_network_report, build_service_report
from reviews.reports.services import latest_final, read_pdf
from standards.models import Edition


class Command(BaseCommand):
    help = (
        "Render a report to a PDF file, for batch use:\n"
        "  render_report service --cycle ID --output FILE\n"
        "  render_report network --edition FRAMEWORK:VERSION --year YEAR --output FILE [--names]"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["service", "network"])
        parser.add_argument("--cycle", type=int, help="the review cycle's id (service reports)")
        parser.add_argument("--edition", help="FRAMEWORK:VERSION, or VERSION if there is one framework (network reports)")
        parser.add_argument("--year", type=int, help="reviews opened in this year (network reports)")
        parser.add_argument("--names", action="store_true", help="name services instead of anonymous codes")
        parser.add_argument("--output", "-o", required=True, help="the PDF file to write")

    def handle(self, *args, kind, cycle=None, edition=None, year=None, names=False, output, **options):
        started = time.perf_counter()
        if kind == "service":
            built = self._service_report(self._cycle(cycle))
        else:
            if year is None:
                raise CommandError("Give --year for a network report.")
            built = build_network_report(self._edition(edition), year, names=names)
        try:
            with open(output, "wb") as file:
                file.write(built.pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote {output}: {built.pages} pages, {len(built.pdf) // 1024} KB, "
            f"in {time.perf_counter() - started:.2f} s (data hash {built.data_hash[:12]})."
        )

    @staticmethod
    def _service_report(cycle):
        """What the report's draft link gives an administrator: a decided review's latest final
        version as issued, else a fresh build (a draft, or a working copy of a decided review)."""
        final = latest_final(cycle)
        if final is None:
            return build_service_report(cycle)
        return BuiltReport(final.snapshot, final.data_hash, "", read_pdf(final), final.pages)

    def _cycle(self, pk):
        if pk is None:
            raise CommandError("Give --cycle ID for a service report.")
        cycle = Cycle.objects.filter(pk=pk).first()
        if cycle is None:
            raise CommandError(f"No review cycle with id {pk}.")
        return cycle

    def _edition(self, text):
        if not text:
            raise CommandError("Give --edition FRAMEWORK:VERSION for a network report.")
        framework, _colon, version = text.rpartition(":")
        editions = Edition.objects.filter(version=version).select_related("framework")
        if framework:
            editions = editions.filter(framework__slug=framework)
        found = list(editions)
        if len(found) != 1:
            known = ", ".join(f"{e.framework.slug}:{e.version}" for e in Edition.objects.select_related("framework"))
            raise CommandError(f"No single edition {text!r}. Known editions: {known or 'none'}.")
        return found[0]

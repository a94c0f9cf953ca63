from django.core.management.base import BaseCommand, CommandError

from reviews.reports.gallery import write_gallery


class Command(BaseCommand):
    help = (
        "Render every kind of report (service reports at each stage and for each reader, visit packs, "
        "one-page summaries, portfolios, network reports) to PDFs and page images, with an index.html."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="var/gallery", help="the folder to write (replaced)")
        parser.add_argument("--dpi", type=int, default=70, help="resolution of the page images")

    def handle(self, *args, output, dpi, **options):
        try:
            items = write_gallery(output, dpi=dpi, say=self.stdout.write)
        except (RuntimeError, OSError) as error:
            raise CommandError(str(error)) from None
        thin = sum(1 for item in items if item.thin_pages)
        self.stdout.write(
            f"Wrote {len(items)} PDFs to {output}/ (open {output}/index.html); "
            f"{thin} with a page less than a third full before its last."
        )

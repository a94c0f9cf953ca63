"""The report gallery: every kind of PDF the app makes, for a service at each stage, rendered the
way its readers get it and turned into page images for people to look at (`make report-gallery`).
Also how full a PDF's pages are, which the tests use to keep every page earning its place."""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.text import slugify

# A4 is 297 mm tall; the report's @page margins (report.css) hold only the running header and
# footer, so a page's own content lies between them.
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
FULLNESS_DPI = 24
INK_BELOW = 235  # a grey level darker than this is ink (or a chart, a rule, a shaded box)


def _poppler_images(pdf, folder, *, dpi, prefix="page"):
    """The PDF's pages as PNG files (pdftoppm), in page order."""
    source = Path(folder) / f"{prefix}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(folder) / prefix)], check=True)
    source.unlink()
    return sorted(Path(folder).glob(f"{prefix}-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def page_fullness(pdf):
    """How far down each page its content reaches, from 0 (empty) to 1 (down to the bottom margin):
    measured on the page as printed (text, charts, boxes alike), leaving the margins out."""
    from PIL import Image  # noqa: PLC0415 (only the tests and the gallery measure pages)

    with tempfile.TemporaryDirectory() as folder:
        fullness = []
        for path in _poppler_images(pdf, folder, dpi=FULLNESS_DPI):
            with Image.open(path) as page:
                grey = page.convert("L")
            fullness.append(_content_depth(grey))
        return fullness


def _content_depth(grey):
    per_mm = grey.height / PAGE_HEIGHT_MM
    top, bottom = round(MARGIN_TOP_MM * per_mm), grey.height - round(MARGIN_BOTTOM_MM * per_mm)
    content = grey.crop((0, top, grey.width, bottom)).point(lambda level: 255 if level < INK_BELOW else 0)
    box = content.getbbox()  # the box around every inked pixel, or None for a blank page
    return 0.0 if box is None else round(box[3] / content.height, 2)


@dataclass
class GalleryItem:
    title: str
    reader: str
    pdf: bytes
    pages: list = field(default_factory=list)  # PNG paths relative to the gallery folder
    fullness: list = field(default_factory=list)

    @property
    def thin_pages(self):
        """Pages (from 1) less than a third full, the last page apart."""
        return [number for number, full in enumerate(self.fullness[:-1], start=1) if full < 1 / 3]


def gallery_items():
    """(title, reader, PDF bytes) for every kind of report in the database as it is, as built by
    the same functions the pages and the worker use."""
    from reviews.reports.gallery_items import every_report  # noqa: PLC0415 (reads the models)

    return every_report()


def write_gallery(output, *, dpi=70, say=print):
    """Renders every report into `output` (replaced): a folder per PDF with the PDF and one PNG per
    page, and index.html to look through them. Returns the items."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is not installed (package poppler-utils): scripts/system-packages poppler-utils")
    output = Path(output)
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    items = []
    for title, reader, pdf in gallery_items():
        item = GalleryItem(title, reader, pdf)
        folder = output / slugify(f"{title} {reader}")[:80]
        folder.mkdir()
        (folder / "report.pdf").write_bytes(pdf)
        item.pages = [str(path.relative_to(output)) for path in _poppler_images(pdf, folder, dpi=dpi)]
        item.fullness = page_fullness(pdf)
        thin = f"; pages less than a third full: {item.thin_pages}" if item.thin_pages else ""
        say(f"{title} ({reader}): {len(item.pages)} pages{thin}")
        items.append(item)
    (output / "index.html").write_text(_index(items), encoding="utf-8")
    return items


def _index(items):
    sections = []
    for item in items:
        pages = "".join(
            f'<figure><img src="{escape(path)}" alt="Page {number}" loading="lazy">'
            f"<figcaption>Page {number}: {round(full * 100)}% full</figcaption></figure>"
            for number, (path, full) in enumerate(zip(item.pages, item.fullness, strict=True), start=1)
        )
        sections.append(f"<section><h2>{escape(item.title)} <small>({escape(item.reader)})</small></h2>"
                        f'<div class="pages">{pages}</div></section>')
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Report gallery</title>'
        "<style>body{font-family:sans-serif;margin:1rem}.pages{display:flex;flex-wrap:wrap;gap:.5rem}"
        "figure{margin:0}img{border:1px solid #999;width:300px}figcaption{font-size:.8rem}</style></head><body>"
        f"<h1>Report gallery</h1><p>Every PDF the app makes, from the database {escape(str(settings.DATABASES['default']['NAME']))}.</p>"
        + "".join(sections) + "</body></html>"
    )

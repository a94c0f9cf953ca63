"""Helpers for the report and export tests: PDFs read the way people read them (pdftotext,
pdfinfo, pdfimages from poppler) and the way a screen reader does (the tagged structure tree),
downloads, and settled reviews of other services to make a network."""

import csv
import datetime
import io
import json
import subprocess
import tempfile

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from reviews.models import AgreedRating, CycleEvent, CycleState
from standards.models import Criterion
from tests.factories import CycleFactory, RegionFactory, SectorFactory, ServiceFactory

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def private_media(settings, tmp_path):
    """Stored reports go to a folder of the test's own; the network comparison's cache starts empty
    (it is keyed by ids, which another test's rolled-back data may have used)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


def stored_files(media_root):
    """Every file under the media folder, as paths relative to it (partial files included)."""
    if not media_root.exists():
        return []
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file())


# --- downloads --------------------------------------------------------------------------------


def download(client, url):
    """GETs a file and reads it whole: (response, bytes).

    Reading the streaming content to its end closes the file: the test client then closes the
    response itself. Calling response.close() again would fire request_finished outside the
    client's care, and Django would close the test's database connection (on PostgreSQL)."""
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def csv_rows(client, url):
    response, content = download(client, url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def csv_header(client, url):
    _response, content = download(client, url)
    return next(csv.reader(io.StringIO(content.decode("utf-8"))))


def json_export(client, url):
    response, content = download(client, url)
    assert response.status_code == 200, url
    return json.loads(content)


# --- reading PDFs -----------------------------------------------------------------------------


def _poppler(tool, pdf, *options):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        arguments = [tool, *options, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(arguments, capture_output=True, text=True, check=True).stdout


def pdf_text(pdf, page=None):
    """The words of the PDF (or of one page, from 1), runs of white space collapsed to one space."""
    options = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(_poppler("pdftotext", pdf, *options).split())


def pdf_lines(pdf):
    """The PDF's lines as laid out on the page (table rows stay rows), white space collapsed."""
    return [" ".join(line.split()) for line in _poppler("pdftotext", pdf, "-layout").splitlines() if line.strip()]


def squeezed(text):
    """Text without any white space: for long literals that a line break may split."""
    return "".join(text.split())


def pdf_info(pdf):
    """pdfinfo's fields: {"Title": ..., "Tagged": "yes", "Pages": "9", ...}."""
    lines = _poppler("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _colon, value in (line.partition(":") for line in lines)}


def pdf_pages(pdf):
    return int(pdf_info(pdf)["Pages"])


def drawn_images(pdf):
    """How many images are drawn on the pages (pdfimages -list, one row per image drawn)."""
    return len(_poppler("pdfimages", pdf, "-list").splitlines()[2:])


def _structure(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, reader.trailer["/Root"]


def document_language(pdf):
    _reader, root = _structure(pdf)
    return str(root.get("/Lang", ""))


def figures(pdf):
    """The alt text of every /Figure in the structure tree, in reading order (None when missing)."""
    _reader, root = _structure(pdf)
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif hasattr(node, "keys"):
            if node.get("/S") == "/Figure":
                alt = node.get("/Alt")
                found.append(str(alt) if alt is not None else None)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return found


def recording_fetcher(calls):
    """A stand-in for reviews.reports.pdf.safe_fetcher: the real fetcher, with every address
    WeasyPrint asks it for appended to `calls` (monkeypatch it in; this is not our database)."""
    from reviews.reports import pdf  # noqa: PLC0415

    real = pdf.safe_fetcher

    def make():
        fetcher = real()
        fetch = fetcher.fetch

        def spy(url, headers=None):
            calls.append(url)
            return fetch(url, headers)

        fetcher.fetch = spy
        return fetcher

    return make


# --- a network of settled reviews -------------------------------------------------------------


def settled_review(edition, service=None, *, not_met=(), not_applicable=(), state=CycleState.CLOSED, opened=None,
                   **service_fields):
    """A review of `service` (a new one unless given) that reached `state` with an agreed rating for
    every criterion of `edition`: Met, except the codes in `not_met` and `not_applicable`. It
    moved there the way reviews do, so it leaves a stage change behind."""
    service = service or ServiceFactory(**service_fields)
    cycle = CycleFactory(service=service, edition=edition, state=state)
    if opened is not None:
        type(cycle).objects.filter(pk=cycle.pk).update(
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9)))
        )
        cycle.refresh_from_db()
    levels = {level.value: level for level in edition.levels.all()}
    top, bottom = levels[max(levels)], levels[min(levels)]
    AgreedRating.objects.bulk_create(
        AgreedRating(
            cycle=cycle, criterion=criterion, version=1, not_applicable=criterion.code in not_applicable,
            level=None if criterion.code in not_applicable else (bottom if criterion.code in not_met else top),
        )
        for criterion in Criterion.objects.filter(edition=edition)
    )
    CycleEvent.objects.create(cycle=cycle, from_state=CycleState.REPORT_DRAFT, to_state=state)
    return cycle


OTHER_NAMES = ["Rowan Lodge", "Birch Court", "Hazel Place", "Alder House", "Juniper Rise", "Aspen Row"]
SECTORS = ["Housing support", "Youth justice"]
REGIONS = ["North Coast", "Inland Valleys"]


def other_services(edition, names, **review_fields):
    """Services with these names and settled reviews of the edition, in two sectors and two regions,
    meeting a different share of the criteria each (the first misses one, the next two, …)."""
    codes = list(Criterion.objects.filter(edition=edition).order_by("value__order", "order").values_list("code", flat=True))
    sectors = [SectorFactory(name=name) for name in SECTORS]
    regions = [RegionFactory(name=name) for name in REGIONS]
    return [
        settled_review(edition, name=name, not_met=codes[:n], sector=sectors[n % 2], region=regions[n // 2 % 2],
                       **review_fields)
        for n, name in enumerate(names, start=1)
    ]

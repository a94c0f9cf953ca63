"""Files as people get them: stored files, downloads read whole, CSV and JSON exports, and PDFs read
the way people read them (pdftotext, pdfinfo, pdfimages from poppler) and the way a screen reader
does (the tagged structure tree)."""

import csv
import io
import json
import subprocess
import tempfile

from django.urls import reverse
from pypdf import PdfReader

# --- stored files -----------------------------------------------------------------------------


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


def status_url(report):
    """The page that follows a report built in the background."""
    return reverse("reports:report-status", args=[report.pk])


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

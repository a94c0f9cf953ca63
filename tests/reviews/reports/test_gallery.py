"""`make report-gallery` (manage.py report_gallery): every kind of PDF in the database rendered for
its readers, each page as a PNG, with an index to look through them and how full each page is."""

import io

import pytest
from django.core.management import call_command

from reviews.models import CycleState
from reviews.reports.gallery import page_fullness
from reviews.reports.pdf import render_pdf
from tests.support.documents import pdf_pages
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.usefixtures("private_media")


def _pdf(body):
    return render_pdf(
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Pages</title>'
        "<style>@page { size: A4; margin: 20mm 16mm } p { margin: 0; font-size: 12pt; line-height: 20pt }"
        ".break { break-before: page }</style></head>"
        f"<body>{body}</body></html>"
    ).content


def test_page_fullness_says_how_far_down_each_page_the_content_reaches():
    # 257 mm of content height at 20 pt (7 mm) a line: 36 lines fill a page, 6 are a sixth of it.
    full, sixth = "<p>A line of words.</p>" * 36, "<p>A line of words.</p>" * 6
    pdf = _pdf(f'<div>{sixth}</div><div class="break">{full}</div><div class="break">{sixth}</div>')

    first, second, third = page_fullness(pdf)

    assert 0.12 < first < 0.22
    assert second > 0.9
    assert 0.12 < third < 0.22


def test_page_fullness_sees_a_blank_page_as_empty():
    assert page_fullness(_pdf('<p>Words.</p><div class="break"></div><p class="break">More.</p>'))[1] == 0.0


def test_the_gallery_renders_every_report_to_page_images_with_an_index(personas, tmp_path):
    PeerReview(personas).to(CycleState.REPORT_DRAFT)
    out = io.StringIO()

    call_command("report_gallery", "--output", str(tmp_path / "gallery"), "--dpi", "30", stdout=out)

    gallery = tmp_path / "gallery"
    index = (gallery / "index.html").read_text()
    pdfs = sorted(gallery.glob("*/report.pdf"))
    assert pdfs, out.getvalue()
    for pdf in pdfs:
        pages = sorted(pdf.parent.glob("page-*.png"))
        assert len(pages) == pdf_pages(pdf.read_bytes())
        assert all(str(page.relative_to(gallery)) in index for page in pages)
    assert "draft report" in out.getvalue()
    assert "Commissioning portfolio" in out.getvalue()
    assert f"Wrote {len(pdfs)} PDFs" in out.getvalue()

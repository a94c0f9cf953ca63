"""`manage.py render_report`: the service and network reports written to a PDF file for batch use,
and bad arguments refused with a message naming what is wrong, writing nothing."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reviews.models import CycleState
from tests.factories import FrameworkFactory, build_edition
from tests.support.documents import pdf_info, pdf_text
from tests.support.reviews import OTHER_NAMES, PeerReview, other_services

pytestmark = pytest.mark.usefixtures("private_media")


def render(*arguments):
    out = io.StringIO()
    call_command("render_report", *arguments, stdout=out)
    return out.getvalue()


def test_render_report_writes_service_report(personas, tmp_path):
    review = PeerReview(personas).to(CycleState.FINAL)
    output = tmp_path / "kestrel.pdf"

    said = render("service", "--cycle", str(review.cycle.pk), "--output", str(output))

    pdf = output.read_bytes()
    info = pdf_info(pdf)
    assert pdf.startswith(b"%PDF-")
    assert (info["Tagged"], info["Title"]) == ("yes", "Peer review report: Kestrel Wing")
    assert said.startswith(f"Wrote {output}: {info['Pages']} pages, ")
    words = pdf_text(pdf)
    assert "Awarded" in words and "DRAFT" not in words  # the decision is recorded: not marked as a draft


def test_render_report_writes_network_report(personas, tmp_path):
    edition = build_edition(values=2, criteria_per_value=2)
    other_services(edition, OTHER_NAMES[:5])
    output = tmp_path / "network.pdf"
    year = timezone.localdate().year

    said = render("network", "--edition", f"test-standards:{edition.version}", "--year", str(year), "-o", str(output))

    pdf = output.read_bytes()
    assert pdf_info(pdf)["Title"] == f"Network report: Test Standards {edition.version}, {year}"
    assert "5 services with a final review" in pdf_text(pdf)
    assert not any(name in pdf_text(pdf) for name in OTHER_NAMES[:5])
    assert said.startswith(f"Wrote {output}: ")


def test_render_report_names_services_when_asked(personas, tmp_path):
    edition = build_edition(values=2, criteria_per_value=2)
    other_services(edition, OTHER_NAMES[:5])
    output = tmp_path / "network.pdf"

    render("network", "--edition", edition.version, "--year", str(timezone.localdate().year), "--names",
           "--output", str(output))

    assert all(name in pdf_text(output.read_bytes()) for name in OTHER_NAMES[:5])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["service", "--cycle", "999999"], "No review cycle with id 999999."),
        (["service"], "Give --cycle ID for a service report."),
        (["network", "--edition", "test-standards:9.9", "--year", "2026"],
         "No single edition 'test-standards:9.9'. Known editions: other:"),
        (["network", "--edition", "nowhere:{version}", "--year", "2026"], "No single edition 'nowhere:"),
        (["network", "--edition", "{version}", "--year", "2026"], "No single edition '"),  # two frameworks have it
        (["network", "--year", "2026"], "Give --edition FRAMEWORK:VERSION for a network report."),
        (["network", "--edition", "test-standards:{version}"], "Give --year for a network report."),
        (["network", "--edition", "test-standards:{version}", "--year", "twenty"], "invalid int value: 'twenty'"),
        (["pie", "--cycle", "1"], "invalid choice: 'pie'"),
    ],
)
def test_render_report_refuses_bad_arguments_and_writes_nothing(db, tmp_path, arguments, message):
    edition = build_edition(values=1, criteria_per_value=1)
    build_edition(values=1, criteria_per_value=1, framework=FrameworkFactory(slug="other", name="Other"),
                  version=edition.version)
    output = tmp_path / "report.pdf"
    arguments = [argument.replace("{version}", edition.version) for argument in arguments]

    with pytest.raises(CommandError, match=re.escape(message)):
        render(*arguments, "--output", str(output))

    assert list(tmp_path.iterdir()) == []


def test_render_report_refuses_output_it_cannot_write(personas, tmp_path):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)

    with pytest.raises(CommandError, match="Cannot write .*/missing/report.pdf: No such file or directory."):
        render("service", "--cycle", str(review.cycle.pk), "--output", str(tmp_path / "missing" / "report.pdf"))

    assert list(tmp_path.iterdir()) == []

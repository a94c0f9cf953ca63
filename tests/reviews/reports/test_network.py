"""Network reports, for administrators: asked for on /reports/network/, built in the background
(inline in tests) with progress shown, downloaded when ready, and announced on the requester's home
page until they download it. The PDF compares services by anonymous code unless names are asked
for: the percent of services meeting each criterion, the strongest and weakest, sectors and regions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import ActionStatus, JobStatus, Report, ReportKind
from reviews.reports.network import service_code
from tests.factories import ActionFactory, RoleFactory, UserFactory, build_edition
from tests.support.documents import download, figures, pdf_lines, pdf_text, status_url
from tests.support.pages import text
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import OTHER_NAMES, REGIONS, SECTORS, other_services, settled_review

pytestmark = pytest.mark.usefixtures("private_media")

NETWORK = reverse("reports:network-reports")
HOME = reverse("home")


@pytest.fixture
def network(db):
    """Six services with settled reviews of one edition opened this year, one of which also had a
    review last year whose actions were done or dropped."""
    edition = build_edition(values=4, criteria_per_value=3)
    services = [cycle.service for cycle in other_services(edition, OTHER_NAMES)]
    last_year = settled_review(edition, services[0], opened=datetime.date(timezone.localdate().year - 1, 5, 1))
    ActionFactory(cycle=last_year, status=ActionStatus.VERIFIED)
    ActionFactory(cycle=last_year, status=ActionStatus.VERIFIED)
    ActionFactory(cycle=last_year, status=ActionStatus.OPEN)
    return edition, services


def ask(client, edition, names=False, year=None):
    data = {"edition": edition.pk, "year": year or timezone.localdate().year}
    if names:
        data["names"] = "on"
    return client.post(NETWORK, data)


def download_url(report):
    return reverse("reports:report-download", args=[report.pk])


@pytest.fixture
def built_report(personas, network, django_capture_on_commit_callbacks):
    """A network report asked for by the administrator and built; (report, its PDF)."""
    client = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, network[0])
    report = Report.objects.get(kind=ReportKind.NETWORK)
    _response, pdf = download(browser_for(personas.admin), download_url(report))
    Report.objects.filter(pk=report.pk).update(seen_by_requester=False)  # as if not yet downloaded
    return report, pdf


# --- asking for one ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [name for name in PERSONA_NAMES if name != "admin"])
def test_network_reports_page_is_for_admins_only(personas, network, persona):
    client = browser_for(getattr(personas, persona))

    assert client.get(NETWORK).status_code == 404
    assert ask(client, network[0]).status_code == 404
    assert not Report.objects.exists()


def test_network_report_request_is_queued_then_built(personas, network, django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)
    edition = network[0]

    with django_capture_on_commit_callbacks() as queued:
        response = ask(client, edition, names=False)
    report = Report.objects.get(kind=ReportKind.NETWORK)
    waiting = client.get(status_url(report))
    for callback in queued:
        callback()
    ready = client.get(status_url(report))

    assert response["Location"] == status_url(report)
    assert (report.edition, report.year, report.options, report.requested_by) == (
        edition, timezone.localdate().year, {"names": False}, personas.admin
    )
    assert "Waiting to start : Waiting for the report worker" in text(waiting)
    assert 'data-poll="' in waiting.content.decode()  # the page keeps itself up to date
    assert '<progress class="progress-bar" max="100" value="0"' in waiting.content.decode()
    report.refresh_from_db()
    assert (report.status, report.progress, report.stage, bool(report.file)) == (JobStatus.READY, 100, "Ready", True)
    assert f"Ready Download the PDF ({report.pages} pages," in text(ready)
    assert "refresh" not in ready.content.decode()
    response, pdf = download(client, download_url(report))
    assert response.status_code == 200 and pdf.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="test-standards-{edition.version.replace(".", "")}-'
        f'{timezone.localdate().year}-network-report.pdf"'
    )


def test_network_report_status_shows_progress_while_built(personas, network):
    report = Report.objects.create(kind=ReportKind.NETWORK, edition=network[0], year=2026, status=JobStatus.RUNNING,
                                   progress=40, stage="Drawing the charts", started_at=timezone.now(),
                                   requested_by=personas.admin)

    response = browser_for(personas.admin).get(status_url(report))

    assert "Being built : Drawing the charts" in text(response)
    assert 'value="40"' in response.content.decode()
    assert "Build it again" not in text(response)
    assert download(browser_for(personas.admin), download_url(report))[0].status_code == 404


def test_network_report_needs_a_year_and_an_edition(personas, network):
    response = browser_for(personas.admin).post(NETWORK, {"edition": network[0].pk})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["year"]
    assert "There is a problem" in text(response)
    assert not Report.objects.exists()


def test_network_reports_page_lists_recent_reports(personas, built_report):
    report, _pdf = built_report

    page = text(browser_for(personas.admin).get(NETWORK))

    assert f"{report.edition}, {report.year}" in page
    assert "Ready" in page


# --- the PDF ----------------------------------------------------------------------------------


def test_network_report_pdf_shows_criteria_by_percent_of_services(built_report):
    _report, pdf = built_report

    words = pdf_text(pdf)
    lines = pdf_lines(pdf)

    assert "6 services with a final review" in words
    assert "Strongest criteria" in words and "Weakest criteria" in words
    # The first service misses V1.1, the next V1.1 and V1.2, and so on: V1.1 is met by none of six.
    assert "V1.1 (0.0% of services): Statement for V1.1." in words
    assert "V4.3 (100.0% of services): Statement for V4.3." in words
    assert words.index("Strongest criteria") < words.index("V4.3 (100.0%") < words.index("Weakest criteria")
    assert words.index("Weakest criteria") < words.index("V1.1 (0.0%")
    assert "Percent of services meeting each criterion" in words
    assert "V1.1 Value 1 2 6 0.0" in lines and "V2.3 Value 2 1 6 83.3" in lines


def test_network_report_pdf_states_its_rules(built_report):
    _report, pdf = built_report

    words = pdf_text(pdf)

    assert "How to read this report" in words
    assert "Only reviews whose report is final are counted." in words
    assert "No figure describes fewer than 5 services" in words
    assert "never beside a sector or region" in words


def test_network_report_pdf_hides_counts_made_up_of_fewer_than_five_services(built_report):
    """Last year's three actions all come from one service: their counts are not shown."""
    _report, pdf = built_report

    words = pdf_text(pdf)

    assert "Open, Verified: not shown (fewer than 5 services each)" in words
    assert "Verified: 2" not in words and "Open: 1" not in words
    assert f"Actions from {timezone.localdate().year - 1}: Open, Verified" in pdf_text(pdf, page=1)  # withheld, and why


def test_network_report_pdf_lists_sectors_and_regions_without_figures_for_small_groups(built_report):
    _report, pdf = built_report

    words = pdf_text(pdf)

    assert "Percent met by sector" in words and "Percent met by region" in words
    assert all(name in words for name in SECTORS + REGIONS)
    assert "fewer than 5 services: not shown" in words


def test_network_report_pdf_shows_services_by_code_only(built_report, network):
    _report, pdf = built_report
    _edition, services = network

    words = pdf_text(pdf)

    assert "Services appear only by code" in words
    codes = [service_code(service, timezone.localdate().year) for service in services]
    assert all(code in words for code in codes)
    assert all(len(code) == 8 and code.startswith("S-") for code in codes)
    assert not any(service.name in words for service in services)
    assert not any(service.name in alt for service in services for alt in figures(pdf))


def test_network_report_pdf_names_services_when_asked(personas, network, django_capture_on_commit_callbacks):
    edition, services = network
    client = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, edition, names=True)
    report = Report.objects.get(kind=ReportKind.NETWORK)

    _response, pdf = download(client, download_url(report))

    words = pdf_text(pdf)
    assert report.options == {"names": True}
    assert "Services are named in this report, at the network administrator's request" in words
    assert all(service.name in words for service in services)
    assert not any(service_code(service, timezone.localdate().year) in words for service in services)
    assert "named" in text(client.get(NETWORK))


def test_network_report_pdf_is_tagged_with_alt_text(built_report):
    _report, pdf = built_report

    alts = figures(pdf)

    assert len(alts) == 1  # services by value (no sector or region has five services to chart)
    assert all(alt and len(alt) > 40 for alt in alts)
    assert "against the 4 values" in alts[0]


# --- the home page ----------------------------------------------------------------------------


def test_home_page_says_network_report_is_ready_until_downloaded(personas, built_report):
    report, _pdf = built_report
    client = browser_for(personas.admin)

    before = client.get(HOME)
    download(client, download_url(report))
    after = client.get(HOME)

    assert f"Your reports are ready: Network report: {report.edition}, {report.year}" in text(before)
    assert f'href="{download_url(report)}"' in before.content.decode()
    assert "Your reports are ready" not in text(after)


def test_home_page_tells_only_the_requester(personas, built_report):
    colleague = UserFactory(username="secondadmin")
    RoleFactory(user=colleague, kind=RoleKind.NETWORK_ADMIN, service=None)
    report, _pdf = built_report
    client = browser_for(colleague)

    download(client, download_url(report))  # another administrator may download it too

    assert "Your reports are ready" not in text(client.get(HOME))
    assert "Your reports are ready" in text(browser_for(personas.admin).get(HOME))


def test_network_report_pdf_opens_with_headlines_in_words(built_report):
    _report, pdf = built_report
    year = timezone.localdate().year

    first = pdf_text(pdf, page=1)

    assert "Headlines" in first and "Services 6 with a final review" in first
    assert "Median percent met The median service met" in first
    assert f"Not compared: fewer than 5 services had a final review in {year - 1}." in first
    assert "What this report withholds, and why" in first
    assert "In_progress" not in pdf_text(pdf) and "in_progress" not in pdf_text(pdf)

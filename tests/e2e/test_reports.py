"""Reports in real Chromium: the service report page, the commissioner's portfolio, network
reports and their status pages are accessible and reflow; charts carry alt text and their
numbers; PDFs are downloaded with the keyboard alone and are what they say they are."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assurance.models import RoleKind
from reviews.models import AgreedRating, Cycle, CycleState, JobStatus, Report, ReportKind
from reviews.reports.tasks import run_report_job
from standards.models import RatingLevel
from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_assessment import press_on, tab_to
from tests.factories import PASSWORD, CycleFactory, RoleFactory, ServiceFactory, build_edition
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.browser

MESSAGE = ".notice--success[role=status]"  # a flash message, not the page's own notices
REFRESH = 'meta[http-equiv="refresh"]'


# --- what the browser sees ----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def edition(db):
    """Three values of two criteria: V<n>.1 rated by staff, V<n>.2 by members."""
    return build_edition(values=3, criteria_per_value=2)


def settled_cycle(service, edition, met_codes, opened_at=None):
    """A closed cycle with agreed ratings (Met for met_codes, Not met otherwise)."""
    cycle = CycleFactory(service=service, edition=edition, state=CycleState.CLOSED)
    not_met, _partly, met = RatingLevel.objects.filter(edition=edition).order_by("value")
    AgreedRating.objects.bulk_create(
        AgreedRating(cycle=cycle, criterion=criterion, level=met if criterion.code in met_codes else not_met, version=1)
        for criterion in edition.criteria.all()
    )
    if opened_at:
        Cycle.objects.filter(pk=cycle.pk).update(opened_at=opened_at)
    return cycle


@pytest.fixture
def final(personas, edition, media):
    """Kestrel Wing's review on the small edition, with its decision recorded: staff and members
    rated themselves, the team agreed a mix of ratings. An earlier review of Kestrel Wing gives
    it a trend, and four other services' settled reviews give the network comparison."""
    settled_cycle(personas.home, edition, {"V1.1", "V2.1"}, opened_at=timezone.now() - datetime.timedelta(days=400))
    for n in range(4):  # Peer service 0 meets all but V2.2; each next one meets one criterion fewer
        met = ["V1.1", "V1.2", "V2.1", "V3.1", "V3.2"][n:]
        settled_cycle(ServiceFactory(name=f"Peer service {n}"), edition, set(met))
    review = PeerReview(personas, edition=edition)
    for code, label in (("V1.1", "Met"), ("V2.1", "Met"), ("V3.1", "Partly met")):
        review.self_rate(code, label)
    review.members_answer("V1.2", *["yes"] * 5, "no")
    review.members_answer("V2.2", "yes", "yes", "sometimes", "sometimes", "no")
    review.members_answer("V3.2", *["no"] * 4)  # too few to show
    review.to(CycleState.VISIT).everyone_rates()
    review.agree_everything(V2_2="Partly met", V3_1="Not met", V3_2="Partly met").finish()
    review.to(CycleState.FINAL)
    assert review.cycle.decision is not None
    return review.cycle


@pytest.fixture
def open_elsewhere(personas, edition):
    """The commissioner also commissions Elm House, whose first review is still open."""
    RoleFactory(user=personas.commissioner, kind=RoleKind.COMMISSIONER, service=personas.other)
    return CycleFactory(service=personas.other, edition=edition, opened_by=personas.admin)


def keyboard_sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def download_by_keyboard(page, selector, tmp_path, name):
    """Tabs to the link, presses Enter, and returns the saved download."""
    with page.expect_download() as info:
        press_on(page, selector)
    download = info.value
    assert download.failure() is None
    path = tmp_path / name
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    return download, path


def pdfinfo(path):
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^([^:\n]+):\s*(.*)$", output, re.MULTILINE))


def pdftext(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_clean(page, console_errors, name):
    assert page.locator("h1").count() == 1, name
    assert axe_violations(page) == [], name
    assert console_errors == [], name


# --- 1. every report page is accessible, with nothing blocked by the Content Security Policy --


def test_service_report_page_is_accessible(sign_in, page, live_server, personas, final, console_errors):
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/cycles/{final.pk}/report/")
    expect(page.locator(".summary-lead")).to_contain_text("Decision:")
    # by value, by tier, the members' answers value by value, network, trend
    expect(page.locator(".report-charts figure")).to_have_count(5)
    assert_clean(page, console_errors, "service report")


def test_portfolio_is_accessible(sign_in, page, live_server, personas, final, open_elsewhere, console_errors):
    sign_in(personas.commissioner)
    page.goto(f"{live_server.url}/portfolio/")
    rows = page.locator("table.portfolio tbody tr")
    expect(rows).to_have_count(2)
    kestrel = rows.filter(has_text="Kestrel Wing")
    expect(kestrel.locator(".rag-list li")).to_have_count(3)
    expect(kestrel).to_contain_text("→")  # two settled reviews: a trend
    expect(kestrel).to_contain_text("Awarded")
    expect(rows.filter(has_text="Elm House")).to_contain_text("No final review yet")
    assert_clean(page, console_errors, "portfolio")


def test_network_reports_page_with_a_form_error_is_accessible(sign_in, page, live_server, personas, edition,
                                                              console_errors):
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/reports/network/")
    page.select_option("#id_edition", str(edition.pk))
    page.fill("#id_year", "")
    page.click("form[novalidate] button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_year"]')).to_have_text("Enter the year, for example 2026.")
    expect(page.locator("#id_year")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title(re.compile("^Error:"))
    assert not Report.objects.exists()
    assert_clean(page, console_errors, "network reports with an error")


@pytest.fixture
def queued(personas, edition, media):
    return Report.objects.create(
        kind=ReportKind.NETWORK, edition=edition, year=timezone.localdate().year, status=JobStatus.QUEUED,
        stage="Waiting for the report worker", requested_by=personas.admin, owner=personas.admin,
    )


def test_report_status_page_while_queued_is_accessible(sign_in, page, live_server, personas, queued, console_errors):
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/reports/{queued.pk}/")
    found = axe_violations(page)
    expect(page.locator(REFRESH)).to_have_count(0)  # it updates itself in place, never reloading
    expect(page.locator("#report-status[data-poll]")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#report-status")).to_contain_text("Waiting for the report worker")
    expect(page.locator("progress")).to_be_visible()
    assert console_errors == []
    assert found == []


def test_report_status_page_once_ready_and_home_page_are_accessible(
    sign_in, page, live_server, personas, final, queued, console_errors
):
    run_report_job(queued.pk)
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/reports/{queued.pk}/")
    expect(page.locator(REFRESH)).to_have_count(0)
    expect(page.locator("#report-status")).to_contain_text("Ready")
    expect(page.locator(f'a[href="/reports/{queued.pk}/download.pdf"]')).to_contain_text("Download the PDF")
    assert_clean(page, console_errors, "report status, ready")

    page.goto(f"{live_server.url}/")
    ready = page.locator(".notice--success[role=status]")
    expect(ready).to_contain_text("Your reports are ready")
    expect(ready.locator(f'a[href="/reports/{queued.pk}/download.pdf"]')).to_contain_text("Network report")
    assert_clean(page, console_errors, "home page")


# --- 2. charts: alt text, their numbers beside them, and reflow ---------------------------------


CHARTS = """figures => figures.map(figure => {
    const img = figure.querySelector("img");
    // The table of the chart's numbers comes next, on its own or in a scrolling wrapper.
    const next = figure.nextElementSibling;
    const table = next && (next.matches("table") ? next : next.querySelector(":scope > table"));
    return {
        alt: img.getAttribute("alt") || "",
        src: img.getAttribute("src").slice(0, 22),
        loaded: img.complete && img.naturalWidth > 0 && img.naturalHeight > 0,
        right: img.getBoundingClientRect().right,
        table: table ? table.innerText : null,
    };
})"""


def test_report_charts_have_alt_text_and_their_numbers_in_a_table(sign_in, page, live_server, personas, final,
                                                                   console_errors):
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/cycles/{final.pk}/report/")

    expect(page.locator(".report-charts figure img")).to_have_count(5)
    charts = page.eval_on_selector_all(".report-charts figure", CHARTS)
    for chart in charts:
        assert chart["alt"].strip(), chart
        assert chart["alt"].endswith("The numbers are in the table after the chart."), chart
        assert chart["src"] == "data:image/png;base64,", chart
        assert chart["loaded"], chart
        assert chart["table"], chart
    by_value, by_tier, members, network, trend = (chart["table"] for chart in charts)
    # Staff rated V1.1 and V2.1 Met; agreed: V1 both Met, V2 one of two, V3 none.
    assert re.search(r"Value 1\s+100\.0\s+100\.0", by_value), by_value
    assert re.search(r"Value 2\s+100\.0\s+50\.0", by_value), by_value
    assert re.search(r"Value 3\s+0\.0\s+0\.0", by_value), by_value
    # The members' answers, value by value, where enough answered (V3.2's four answers are not shown).
    assert re.search(r"Value 1\s+83\.3\s+0\.0\s+16\.7\s+1", members), members
    assert re.search(r"Value 2\s+40\.0\s+40\.0\s+20\.0\s+1", members), members
    assert "Value 3" not in members and "Value 3" not in charts[2]["alt"]
    assert re.search(r"^2\s+2\s+0\s+1\s+66\.7\s+80$", by_tier, re.MULTILINE), by_tier
    assert re.search(r"^3\s+1\s+2\s+0\s+33\.3\s+60$", by_tier, re.MULTILINE), by_tier
    assert re.search(r"Value 3\s+0\.0\s+100\.0\s+100\.0.100\.0", network), network
    assert "Peer service" not in network and "Peer service" not in charts[3]["alt"]
    assert re.search(r"\(this review\)\s+\S+\s+50\.0", trend), trend
    assert re.search(r"^Opened \d{1,2} \w+ \d{4}\s+\S+\s+33\.3$", trend, re.MULTILINE), trend  # earlier: two of six met
    assert "33%" in charts[4]["alt"] and "50%" in charts[4]["alt"]
    assert console_errors == []


def test_report_page_reflows_at_320_pixels(sign_in, page, live_server, personas, final, console_errors):
    sign_in(personas.admin)
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 × 1024 at 400 %
    page.goto(f"{live_server.url}/cycles/{final.pk}/report/")

    expect(page.locator("h1")).to_be_visible()
    assert all(chart["right"] <= 320 for chart in page.eval_on_selector_all(".report-charts figure", CHARTS))
    # What cannot reflow (a table's columns) may scroll inside its wrapper, not the page.
    wrappers = page.eval_on_selector_all(".table-wrap", "els => els.map(e => e.getBoundingClientRect().right)")
    assert all(right <= 320 for right in wrappers)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []  # including: a region that scrolls can be reached by keyboard
    assert console_errors == []


# --- 3. downloads with the keyboard alone -------------------------------------------------------


def test_commissioner_downloads_a_one_page_summary_with_the_keyboard(page, live_server, personas, final,
                                                                     open_elsewhere, tmp_path, console_errors):
    keyboard_sign_in(page, live_server, personas.commissioner)
    press_on(page, 'main a[href="/portfolio/"]', url=f"{live_server.url}/portfolio/")
    expect(page.locator("h1")).to_have_text("Services you commission")

    link = f'a[href="/portfolio/{personas.home.slug}/summary.pdf"]'
    expect(page.locator(link)).to_contain_text("One page (PDF)")
    download, path = download_by_keyboard(page, link, tmp_path, "summary.pdf")
    assert download.suggested_filename == f"{personas.home.slug}-summary.pdf"
    assert pdfinfo(path)["Pages"] == "1"
    assert "Kestrel Wing" in pdftext(path)
    assert console_errors == []


def test_admin_issues_the_final_report_and_downloads_it_with_the_keyboard(page, live_server, personas, final,
                                                                          tmp_path, console_errors):
    keyboard_sign_in(page, live_server, personas.admin)
    report_url = f"{live_server.url}/cycles/{final.pk}/report/"
    page.goto(report_url)
    button = 'form[action$="/report/issue/"] button[type=submit]'
    expect(page.locator(button)).to_have_text("Issue the final report")
    press_on(page, button)
    expect(page.locator(MESSAGE)).to_contain_text("Final report version 1 is issued and stored.")
    assert page.url == report_url
    issued = Report.objects.get(kind=ReportKind.SERVICE, cycle=final, is_final=True)
    assert issued.version == 1 and issued.issued_by == personas.admin
    expect(page.locator(button)).to_have_text("Issue a new version")

    link = f'a[href="/cycles/{final.pk}/report/v1.pdf"]'
    expect(page.locator(link)).to_contain_text("Final report, version 1 (PDF)")
    download, path = download_by_keyboard(page, link, tmp_path, "final-v1.pdf")
    assert download.suggested_filename == "kestrel-wing-report-v1.pdf"
    info = pdfinfo(path)
    assert info["Tagged"] == "yes", info
    assert int(info["Pages"]) == issued.pages
    text = pdftext(path)
    assert "Kestrel Wing" in text
    assert "DRAFT" not in text
    assert console_errors == []


# --- 4. a network report, requested and fetched in the browser ----------------------------------


def test_admin_builds_a_network_report_with_the_keyboard(page, live_server, personas, final, tmp_path, console_errors):
    keyboard_sign_in(page, live_server, personas.admin)
    press_on(page, 'main a[href="/reports/network/"]', url=f"{live_server.url}/reports/network/")

    tab_to(page, "#id_edition")
    page.keyboard.press("ArrowDown")  # from "---------" to the only published edition
    expect(page.locator("#id_edition")).to_have_value(str(final.edition_id))
    tab_to(page, "#id_year")
    expect(page.locator("#id_year")).to_have_value(str(timezone.localdate().year))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(str(timezone.localdate().year))
    tab_to(page, "#id_names")
    page.keyboard.press("Space")
    expect(page.locator("#id_names")).to_be_checked()
    press_on(page, "form[novalidate] button[type=submit]", url=re.compile(r"/reports/\d+/$"))

    report = Report.objects.get(kind=ReportKind.NETWORK)
    assert page.url == f"{live_server.url}/reports/{report.pk}/"
    assert (report.status, report.requested_by, report.options) == (JobStatus.READY, personas.admin, {"names": True})
    expect(page.locator("#report-status")).to_contain_text("Ready")
    expect(page.locator(REFRESH)).to_have_count(0)

    link = f'a[href="/reports/{report.pk}/download.pdf"]'
    download, path = download_by_keyboard(page, link, tmp_path, "network.pdf")
    assert download.suggested_filename.endswith("-network-report.pdf")
    assert int(pdfinfo(path)["Pages"]) == report.pages
    text = pdftext(path)
    assert "Network report" in text
    assert "Services are named in this report" in text  # as asked, and in words, not only in the heat map
    assert "Kestrel Wing" in text and "Peer service 0" in text
    report.refresh_from_db()
    assert report.seen_by_requester
    assert console_errors == []


def test_report_status_page_shows_the_download_when_ready_without_reloading(
    sign_in, page, live_server, personas, final, queued, console_errors
):
    sign_in(personas.admin)
    page.goto(f"{live_server.url}/reports/{queued.pk}/")
    page.evaluate("() => { window.notReloaded = true; }")

    run_report_job(queued.pk)

    expect(page.locator("#report-status")).to_contain_text("Download the PDF")
    assert page.evaluate("() => window.notReloaded === true")  # updated in place
    assert console_errors == []

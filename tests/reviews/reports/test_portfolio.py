"""The commissioner's portfolio: exactly the services they commission, each with red/amber/green by
value, its status, the trend across reviews, overdue actions and urgent concerns; a one-page summary
PDF per service; and the whole portfolio as one PDF, built in the background. Nobody else sees any
of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import CycleState, FindingKind, JobStatus, Report, ReportKind
from reviews.templatetags.review_tags import long_date
from tests.factories import ActionFactory, FindingFactory, RoleFactory, ServiceFactory, UserFactory
from tests.support.documents import download, pdf_pages, pdf_text
from tests.support.pages import table_rows, text
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import PeerReview, settled_review

pytestmark = pytest.mark.usefixtures("private_media")

PORTFOLIO = reverse("reports:portfolio")
NOT_ESCALATED = "Medicines are left unlocked at night."


def summary_url(service):
    return reverse("reports:service-summary", args=[service.slug])


def commission(user, *services):
    for service in services:
        RoleFactory(user=user, kind=RoleKind.COMMISSIONER, service=service)


@pytest.fixture
def portfolio(personas):
    """The commissioner's three services: Kestrel Wing (final and awarded; Value 3 red, its tier 1
    criterion not met; an overdue action, an urgent concern escalated to the commissioners and
    one that was not), Rowan Lodge (two settled reviews,
    better the second time) and Birch Court (no review yet). Hazel Place has another commissioner."""
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything(V3_3="Not met").finish()
    review.to(CycleState.FINAL)
    edition = review.cycle.edition
    ActionFactory(cycle=review.cycle, description="Train night staff in de-escalation.",
                  due_date=timezone.localdate() - datetime.timedelta(days=3))
    ActionFactory(cycle=review.cycle, description="Not due yet.")
    FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text="A fire door is propped open.",
                   escalated_by=personas.admin, escalated_at=timezone.now(), escalation_reason="Safety.")
    FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text=NOT_ESCALATED)
    rowan = ServiceFactory(name="Rowan Lodge")
    settled_review(edition, rowan, not_met=["V1.1", "V1.2"], opened=datetime.date(2025, 3, 4))
    settled_review(edition, rowan, state=CycleState.FINAL)
    birch = ServiceFactory(name="Birch Court")
    commission(personas.commissioner, rowan, birch)
    hazel = ServiceFactory(name="Hazel Place")
    settled_review(edition, hazel)
    other = UserFactory(username="othercommissioner")
    commission(other, hazel)
    review.services = {"kestrel": personas.home, "rowan": rowan, "birch": birch, "hazel": hazel}
    review.other_commissioner = other
    return review


# --- the page ---------------------------------------------------------------------------------


def test_portfolio_lists_exactly_the_services_commissioned(personas, portfolio):
    response = browser_for(personas.commissioner).get(PORTFOLIO)

    rows = table_rows(response)
    assert [row.split(" Sector")[0] for row in rows] == ["Birch Court", "Kestrel Wing", "Rowan Lodge"]
    assert "Hazel Place" not in text(response)


def test_portfolio_shows_rag_by_value_status_trend_and_overdue_actions(personas, portfolio):
    response = browser_for(personas.commissioner).get(PORTFOLIO)

    birch, kestrel, rowan = table_rows(response)
    today = long_date(timezone.localdate())
    assert "1 urgent concern" in kestrel
    assert "Awarded" in kestrel and "Final report issued" in kestrel
    assert "91.7" in kestrel
    assert "V1 Value 1: Green V2 Value 2: Green V3 Value 3: Red V4 Value 4: Green" in kestrel
    assert f"Decided {today}: 91.7%" in kestrel
    assert kestrel.endswith("91.7% 1 One page (PDF) : Kestrel Wing")  # one overdue action, then the summary link
    assert "V1 Value 1: Green V2 Value 2: Green V3 Value 3: Green V4 Value 4: Green" in rowan
    assert f"Opened 4 March 2025: 83.3% → Opened {today}: 100.0%" in rowan  # not decided: placed by opening
    assert rowan.endswith("100.0% 0 One page (PDF) : Rowan Lodge")
    assert "No review yet" in birch and "No final review yet" in birch
    assert NOT_ESCALATED not in text(response)


def test_portfolio_shows_service_without_agreed_ratings_as_such(personas):
    commissioner = UserFactory(username="newcommissioner")
    RoleFactory(user=commissioner, kind=RoleKind.COMMISSIONER, service=personas.other)
    response = browser_for(commissioner).get(PORTFOLIO)

    assert [row.split(" Sector")[0] for row in table_rows(response)] == ["Elm House"]
    assert "No final review yet" in text(response)


@pytest.mark.parametrize("persona", [name for name in PERSONA_NAMES if name != "commissioner"])
def test_portfolio_is_404_for_everyone_but_commissioners(personas, persona):
    client = browser_for(getattr(personas, persona))

    assert client.get(PORTFOLIO).status_code == 404
    assert client.post(PORTFOLIO).status_code == 404
    assert download(client, summary_url(personas.home))[0].status_code == 404
    assert not Report.objects.exists()


# --- the one-page summary ---------------------------------------------------------------------


def test_service_summary_pdf_is_one_page(personas, portfolio):
    response, pdf = download(browser_for(personas.commissioner), summary_url(personas.home))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kestrel-wing-summary.pdf"'
    assert pdf_pages(pdf) == 1
    words = pdf_text(pdf)
    assert "ONE-PAGE SUMMARY" in words and "Kestrel Wing" in words
    assert "Awarded" in words and "91.7% met" in words
    assert "Value 3 R Red 2 0 1" in words
    assert "Train night staff in de-escalation." in words and "Not due yet." not in words
    assert "A fire door is propped open." in words and NOT_ESCALATED not in words
    assert "Page 1 of 1" in words


def test_service_summary_pdf_is_404_for_services_not_commissioned(personas, portfolio):
    client = browser_for(personas.commissioner)

    assert download(client, summary_url(portfolio.services["hazel"]))[0].status_code == 404
    assert download(client, reverse("reports:service-summary", args=["no-such-service"]))[0].status_code == 404
    assert download(browser_for(portfolio.other_commissioner), summary_url(personas.home))[0].status_code == 404


# --- the whole portfolio as one PDF -----------------------------------------------------------


def test_portfolio_pdf_request_is_built_and_ready_to_download(personas, portfolio, django_capture_on_commit_callbacks):
    personas.commissioner.first_name, personas.commissioner.last_name = "Siobhan", "O'Brien"
    personas.commissioner.save()
    client = browser_for(personas.commissioner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PORTFOLIO)

    [report] = Report.objects.filter(kind=ReportKind.PORTFOLIO)
    assert response.status_code == 302 and response["Location"] == reverse("reports:report-status", args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.owner, report.requested_by, report.progress) == (
        JobStatus.READY, personas.commissioner, personas.commissioner, 100
    )
    status_page = text(client.get(response["Location"]))
    assert f"Ready Download the PDF ({report.pages} pages," in status_page
    download_response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))
    assert download_response.status_code == 200
    assert download_response["Content-Disposition"] == (
        f'attachment; filename="portfolio-{timezone.localdate().isoformat()}.pdf"'
    )
    assert pdf_pages(pdf) == report.pages == 3  # the grid, and a page for each service with a review
    words = pdf_text(pdf)
    assert "3 services Prepared for Siobhan O'Brien on" in words
    assert "Commissioning portfolio · Siobhan O'Brien" in words  # the running header, not &#x27;
    assert all(name in words for name in ("Birch Court", "Kestrel Wing", "Rowan Lodge"))
    assert "Hazel Place" not in words
    assert "Build the portfolio PDF" in text(client.get(PORTFOLIO))


def test_portfolio_pdf_of_someone_else_is_404(personas, portfolio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        browser_for(personas.commissioner).post(PORTFOLIO)
    [report] = Report.objects.filter(kind=ReportKind.PORTFOLIO)

    for person in (portfolio.other_commissioner, personas.admin, personas.lead, personas.outsider):
        client = browser_for(person)
        assert client.get(reverse("reports:report-status", args=[report.pk])).status_code == 404
        assert download(client, reverse("reports:report-download", args=[report.pk]))[0].status_code == 404

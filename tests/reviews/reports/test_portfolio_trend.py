"""The portfolio's trend (on the web portfolio page and on the one-page summary) compares like
with like, as the service report's does: reviews of two editions are compared on the criteria both
editions have (matched by code), each review is placed by when it was decided, and the page says
so under the trend. It stays a fixed number of queries, whatever the number of services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import CycleState
from reviews.reports.build import build_summary
from reviews.reports.portfolio import portfolio_rows
from reviews.reports.queries import commissioned_services
from standards.models import Criterion
from tests.factories import DecisionFactory, RoleFactory, ServiceFactory, build_edition
from tests.support.documents import pdf_pages, pdf_text
from tests.support.pages import table_rows
from tests.support.personas import browser_for
from tests.support.reviews import settled_review

pytestmark = pytest.mark.usefixtures("private_media")

NOTE = ("Compared on the 46 criteria both editions share (edition 2025.1 has 47, edition 2026.1 has 51). "
        "Over all 51 of its criteria, this review met 92%.")
TREND = ("Decided 14 March 2025 (edition 2025.1): 97.8% → Decided 20 March 2026 (edition 2026.1): 93.5%")


def decided(cycle, day):
    decision = DecisionFactory(cycle=cycle)
    type(decision).objects.filter(pk=decision.pk).update(
        recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    )
    return cycle


def two_editions():
    """Edition 2025.1 has 47 criteria (V1–V8, six each, without V8.6); 2026.1 has 51 (seven each,
    without V1.7–V4.7 and V2.6). They share 46: 2025.1's V2.6 is gone, and 2026.1 adds V5.7–V8.7
    and V8.6."""
    old = build_edition(values=8, criteria_per_value=6, version="2025.1")
    Criterion.objects.filter(edition=old, code="V8.6").delete()
    new = build_edition(values=8, criteria_per_value=7, version="2026.1", framework=old.framework)
    Criterion.objects.filter(edition=new, code__in=["V1.7", "V2.7", "V3.7", "V4.7", "V2.6"]).delete()
    return old, new


def reviewed_in_both(service, old, new):
    """The first review missed V1.1 and V2.6 (the criterion 2026.1 dropped): 45 of 47 met, 45 of
    the 46 shared (97.8%). The second missed V1.2–V1.4 and V5.7 (new): 47 of 51 met (92%), 43 of
    the 46 shared (93.5%)."""
    earlier = decided(settled_review(old, service, not_met=["V1.1", "V2.6"], opened=datetime.date(2025, 1, 6)),
                      datetime.date(2025, 3, 14))
    current = decided(settled_review(new, service, not_met=["V1.2", "V1.3", "V1.4", "V5.7"], state=CycleState.FINAL,
                                     opened=datetime.date(2026, 1, 5)), datetime.date(2026, 3, 20))
    return earlier, current


@pytest.fixture
def kestrel(personas):
    old, new = two_editions()
    return reviewed_in_both(personas.home, old, new)


def test_portfolio_trend_compares_two_editions_on_the_criteria_they_share(personas, kestrel):
    [row] = portfolio_rows([personas.home], personas.commissioner)

    assert [(p["label"], p["edition"], p["met"], p["applicable"], p["percent_met"], p["compared"], p["criteria"])
            for p in row["trend"]] == [
        ("Decided 14 March 2025", "2025.1", 45, 46, 97.8, 46, 47),
        ("Decided 20 March 2026", "2026.1", 43, 46, 93.5, 46, 51),
    ]
    assert row["trend_note"] == NOTE
    assert row["percent_met"] == 92.2  # the latest review over all of its own criteria, as before


def test_portfolio_page_shows_the_trend_by_decision_date_with_its_note(personas, kestrel):
    [row] = table_rows(browser_for(personas.commissioner).get(reverse("reports:portfolio")))

    assert f"{TREND} {NOTE}" in row
    assert "Jan 2026" not in row and "Jan 2025" not in row


def test_summary_shows_the_trend_by_decision_date_with_its_note(personas, kestrel):
    pdf = build_summary(personas.home, personas.commissioner).pdf

    words = pdf_text(pdf)
    assert f"Trend: {TREND}. {NOTE}" in words
    assert pdf_pages(pdf) == 1


def test_portfolio_trend_of_one_edition_has_no_note(personas):
    edition = build_edition(values=2, criteria_per_value=3)
    decided(settled_review(edition, personas.home, not_met=["V1.1"], opened=datetime.date(2025, 2, 3)),
            datetime.date(2025, 4, 1))
    decided(settled_review(edition, personas.home, state=CycleState.FINAL, opened=datetime.date(2026, 2, 2)),
            datetime.date(2026, 4, 1))

    [row] = portfolio_rows([personas.home], personas.commissioner)
    words = pdf_text(build_summary(personas.home, personas.commissioner).pdf)

    assert [(p["label"], p["percent_met"]) for p in row["trend"]] == [
        ("Decided 1 April 2025", 83.3), ("Decided 1 April 2026", 100.0)]
    assert row["trend_note"] == ""
    assert "Trend: Decided 1 April 2025: 83.3% → Decided 1 April 2026: 100.0%." in words
    assert "Compared on" not in words


@pytest.mark.parametrize("services", [3, 12])
def test_portfolio_trend_reads_as_many_queries_for_twelve_services_as_for_three(personas, services,
                                                                                 django_assert_max_num_queries):
    old, new = two_editions()
    commissioned = [personas.home, *(ServiceFactory(name=f"Service {n}") for n in range(services - 1))]
    for service in commissioned:
        reviewed_in_both(service, old, new)
        if service != personas.home:
            RoleFactory(user=personas.commissioner, kind=RoleKind.COMMISSIONER, service=service)
    wanted = list(commissioned_services(personas.commissioner))

    with django_assert_max_num_queries(22):
        rows = portfolio_rows(wanted, personas.commissioner)

    assert len(rows) == services
    assert {row["trend_note"] for row in rows} == {NOTE}
